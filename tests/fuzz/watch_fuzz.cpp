// Fuzz target: the watch stream reader (StreamReader). Any bytes, fed whole and again in two
// pieces split where the first byte says, end in the same state: the same error or the same
// header and records. A good stream's records always fit its header.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.h"
#include "train/watch_stream.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  gradscope::StreamReader whole;
  whole.feed(text);
  whole.finish();
  const auto records = whole.takeRecords();

  gradscope::StreamReader split;
  const std::size_t at = size == 0 ? 0 : data[0] % (size + 1);
  split.feed(text.substr(0, at));
  auto records2 = split.takeRecords();
  split.feed(text.substr(at));
  split.finish();
  for (auto& r : split.takeRecords()) records2.push_back(std::move(r));

  FUZZ_CHECK(whole.error() == split.error());
  FUZZ_CHECK(records.size() == records2.size());
  FUZZ_CHECK(whole.hasHeader() == split.hasHeader());
  if (whole.hasHeader()) {
    const gradscope::StreamHeader& h = whole.header();
    FUZZ_CHECK(h == split.header());
    FUZZ_CHECK(!h.params.empty() && h.params.size() <= gradscope::kStreamMaxTensors);
    for (const auto& r : records) {
      FUZZ_CHECK(r.grad.size() == h.params.size() && r.ratio.size() == h.params.size());
      FUZZ_CHECK(r.dz.size() == h.modules.size() && r.dead.size() == h.modules.size());
    }
  }
  for (std::size_t i = 0; i < records.size(); ++i) {
    FUZZ_CHECK(records[i].step == records2[i].step);
    FUZZ_CHECK(i == 0 || records[i].step > records[i - 1].step);
  }
  FUZZ_CHECK(whole.pendingBytes() <= gradscope::kStreamMaxLine);
  return 0;
}
