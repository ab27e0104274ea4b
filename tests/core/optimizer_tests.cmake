# The optimizer suites: update rules against hand-worked references, validation and the table
# (optimizer_test), XOR training with every optimizer (optimizer_xor_test), and a separate
# executable that counts malloc to check that step() allocates nothing (it replaces malloc for
# the whole program, so it stays apart from the other tests).
gradscope_test(optimizer_tests
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/optimizer_test.cpp
          ${CMAKE_CURRENT_LIST_DIR}/optimizer_xor_test.cpp
  LIBS gradscope_core)
gradscope_test(optimizer_alloc_tests
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/optimizer_alloc_test.cpp
  LIBS gradscope_core)
