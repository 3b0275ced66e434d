// expect: every test "error" or "timeout": an endless loop in top-level code
for (;;) {}
