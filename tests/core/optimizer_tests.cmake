# The optimizer suites: update rules against hand-worked references, validation and the table
# (optimizer_test), XOR training with every optimizer (optimizer_xor_test).
gradscope_test(optimizer_tests
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/optimizer_test.cpp
          ${CMAKE_CURRENT_LIST_DIR}/optimizer_xor_test.cpp
  LIBS gradscope_core)
