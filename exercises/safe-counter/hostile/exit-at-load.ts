// expect: every test "error": process.exit(0) before any test ran
process.exit(0);

export {}; // makes this file a module for the type checker; not part of the notebook cell
