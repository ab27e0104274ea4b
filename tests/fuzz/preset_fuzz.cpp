// Fuzz target: preset JSON (parsePreset). Every input either throws JsonError or gives a
// session that validates and survives a save and a load unchanged (presetToJson → parsePreset).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "train/config_json.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  gradscope::Preset preset;
  try {
    preset = gradscope::parsePreset(text);
  } catch (const gradscope::JsonError&) {
    return 0;
  }
  FUZZ_CHECK(gradscope::validateSession(preset.session).empty());
  const std::string saved = gradscope::presetToJson(preset);
  gradscope::Preset again;
  try {
    again = gradscope::parsePreset(saved);
  } catch (const gradscope::JsonError& e) {
    std::fprintf(stderr, "a saved preset does not load: %s\n%s", e.what(), saved.c_str());
    std::abort();
  }
  FUZZ_CHECK(again == preset);
  return 0;
}
