// Messages and help texts built from the field declarations (see config_schema.h).
#include "train/config_schema.h"

#include <cmath>
#include <cstdio>

#include "train/run_config.h"

namespace gradscope {
namespace {

// As few digits as the value needs: 0.9, 1000000, 0.1.
std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

}  // namespace

std::string FieldSpec::range() const { return number(min) + " to " + number(max); }

std::string FieldSpec::outOfRange(std::string_view where, double got) const {
  return std::string(where) + ": must be " + range() + " (got " + number(got) + ")";
}

std::string FieldSpec::flagHelp() const {
  return std::string(help) + ", " + range() + " (default " + number(defaultValue) + ")";
}

ActivationChoice freshActivation(Activation a) { return {a, activationInfo(a).paramDefault}; }

}  // namespace gradscope
