// Eigen's product blocking fixed for every CPU (see blocking.h).
#include "core/blocking.h"

#include <Eigen/Core>
#include <mutex>

namespace gradscope {

void useFixedBlocking() {
  static std::once_flag once;
  std::call_once(once, [] { Eigen::setCpuCacheSizes(kBlockingL1, kBlockingL2, kBlockingL3); });
}

}  // namespace gradscope
