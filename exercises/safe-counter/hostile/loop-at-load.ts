// expect: every test "error" or "timeout": an endless loop in top-level code
for (;;) {}

export {}; // makes this file a module for the type checker; not part of the notebook cell
