# The optimizers: the table, validation and factory (optimizer.cpp) and one file per
# torch.optim algorithm or family.
target_sources(gradscope_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/optimizer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sgd.cpp
  ${CMAKE_CURRENT_LIST_DIR}/adadelta.cpp
  ${CMAKE_CURRENT_LIST_DIR}/adagrad.cpp
  ${CMAKE_CURRENT_LIST_DIR}/adam.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sparse_adam.cpp
  ${CMAKE_CURRENT_LIST_DIR}/adamax.cpp
  ${CMAKE_CURRENT_LIST_DIR}/asgd.cpp
  ${CMAKE_CURRENT_LIST_DIR}/lbfgs.cpp
  ${CMAKE_CURRENT_LIST_DIR}/nadam.cpp
  ${CMAKE_CURRENT_LIST_DIR}/radam.cpp
  ${CMAKE_CURRENT_LIST_DIR}/rmsprop.cpp
  ${CMAKE_CURRENT_LIST_DIR}/rprop.cpp
)
