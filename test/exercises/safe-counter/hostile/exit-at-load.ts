// expect: every test "error": process.exit(0) before any test ran
process.exit(0);
