// `gradscope replay` (see replay_command.h). Two passes over the files, each holding one line
// at a time: the first checks every stream and gathers the summary and the CSV's columns, the
// second writes the rows, so a bad stream leaves nothing written and memory does not grow with
// a stream's length.
#include "cli/replay_command.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>

#include "cli/output.h"
#include "cli/parse.h"
#include "cli/text.h"
#include "cli/train_command.h"  // the exit codes
#include "train/export.h"       // quoteCsv
#include "train/watch_stream.h"

namespace gradscope::cli {
namespace {

constexpr int kMaxFiles = 4;  // runs side by side, as in the app

struct BadStream : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Streams `path` through a StreamReader, handing each record to `onRecord`. Throws BadStream
// with "FILE: line N: why".
void readStream(const std::string& path, StreamReader& reader,
                const std::function<void(const StreamRecord&)>& onRecord) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw BadStream(cat(path, ": cannot read (", std::strerror(errno), ")"));
  std::vector<char> chunk(1 << 16);
  while (in) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    const auto got = static_cast<std::size_t>(in.gcount());
    if (got == 0) break;
    reader.feed(std::string_view(chunk.data(), got));
    for (const StreamRecord& r : reader.takeRecords()) onRecord(r);
    if (reader.failed()) break;
  }
  if (in.bad()) throw BadStream(cat(path, ": cannot read (", std::strerror(errno), ")"));
  if (!reader.finish()) throw BadStream(cat(path, ": ", reader.error()));
}

// Per parameter over a run: ‖grad‖ at the first and last record and its range, the last
// update ratio.
struct ParamSummary {
  float first = NAN, last = NAN, min = INFINITY, max = 0, ratio = NAN;
};
struct ModuleSummary {
  float last = NAN;
  double sum = 0;
  long count = 0;
};
struct RunSummary {
  std::string path;
  StreamHeader header;
  long records = 0;
  long long firstStep = 0, lastStep = 0;
  double lastLoss = NAN, lastAccuracy = NAN;
  std::string diverged;  // "step 12: grad of fc1.weight is nan"
  std::vector<ParamSummary> params;
  std::vector<ModuleSummary> modules;
};

std::string moduleLabel(const StreamModule& m) {
  return m.name.empty() ? cat("(", m.type, ")") : m.name;
}

std::string shapeText(const std::vector<long long>& shape) {
  if (shape.empty()) return "scalar";
  std::string s;
  for (std::size_t i = 0; i < shape.size(); ++i)
    s.append(i ? "×" : "").append(std::to_string(shape[i]));
  return s;
}

std::string number(double v) { return std::isfinite(v) ? format("%.4g", v) : std::string("–"); }

void appendCell(std::string& line, double v) {
  line += ',';
  if (!std::isfinite(v)) return;  // empty: no value, or not finite (the summary says which)
  appendFloat(line, static_cast<float>(v));
}

}  // namespace

int runReplayCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CLI::App app{
      "Read watch streams written by gradscope.watch(model, to=\"run.jsonl\"), check them, write "
      "their metrics CSV and print a per-layer summary.",
      "gradscope replay"};
  app.allow_extras();
  app.set_help_flag("-h,--help", "Show this help and exit");
  app.footer(
      "The stream format is docs/STREAM.md. CSV columns: run, step, loss, accuracy, then per "
      "parameter gradnorm_<name> (‖grad‖₂ after the step's backward pass) and update_ratio_<name> "
      "(‖Δp‖/‖p‖), per module mean_abs_dz_<module>, per ReLU-family module dead_<module>, and "
      "each other scalar gradscope.log() added; one row per logged step; an empty cell where the "
      "stream has no value or a non-finite one. Exit code 0; 1: the CSV could not be written; 2: "
      "a bad flag or stream (one line naming the file and line; nothing written); 3: a run "
      "diverged.");
  std::vector<std::string> files;
  std::string metrics;
  app.add_option("files", files, "Watch streams (.jsonl), 1 to 4: one run each")->type_name("FILE");
  app.add_option("--metrics", metrics, "Write the metrics CSV here")->type_name("FILE.csv");
  if (const auto code = parseSubcommand(app, args, "replay", out, err)) return *code;
  if (files.empty() || files.size() > kMaxFiles) {
    err << "gradscope replay: expected 1 to " << kMaxFiles << " stream files (got " << files.size()
        << ")\n";
    return kExitUsage;
  }

  // Pass 1: check every stream, gather the summaries and the columns.
  std::vector<RunSummary> runs;
  std::vector<std::string> paramColumns, moduleDz, moduleDead, scalarColumns;
  const auto addColumn = [](std::vector<std::string>& cols, const std::string& name) {
    if (std::find(cols.begin(), cols.end(), name) == cols.end()) cols.push_back(name);
  };
  try {
    for (const std::string& path : files) {
      RunSummary run;
      run.path = path;
      StreamReader reader;
      readStream(path, reader, [&](const StreamRecord& r) {
        if (run.records++ == 0) run.firstStep = r.step;
        run.lastStep = r.step;
        if (run.params.empty()) {
          run.params.resize(reader.header().params.size());
          run.modules.resize(reader.header().modules.size());
        }
        for (std::size_t i = 0; i < r.grad.size(); ++i) {
          ParamSummary& p = run.params[i];
          const float g = r.grad[i];
          if (std::isfinite(g)) {
            if (!std::isfinite(p.first)) p.first = g;
            p.last = g, p.min = std::min(p.min, g), p.max = std::max(p.max, g);
          }
          if (std::isfinite(r.ratio[i])) p.ratio = r.ratio[i];
        }
        for (std::size_t m = 0; m < r.dead.size(); ++m)
          if (std::isfinite(r.dead[m])) {
            ModuleSummary& s = run.modules[m];
            s.last = r.dead[m], s.sum += r.dead[m], ++s.count;
          }
        for (const auto& [key, v] : r.scalars) {
          if (key == "loss" && std::isfinite(v)) run.lastLoss = v;
          if (key == "accuracy" && std::isfinite(v)) run.lastAccuracy = v;
          if (key != "loss" && key != "accuracy") addColumn(scalarColumns, key);
        }
        if (!r.nonFinite.empty() && run.diverged.empty())
          run.diverged = cat("step ", std::to_string(r.step), ": ", r.nonFinite);
      });
      run.header = reader.header();
      if (run.params.empty()) {
        run.params.resize(run.header.params.size());
        run.modules.resize(run.header.modules.size());
      }
      for (const StreamParam& p : run.header.params) addColumn(paramColumns, p.name);
      for (const StreamModule& m : run.header.modules)
        addColumn(m.relu ? moduleDead : moduleDz, moduleLabel(m));
      runs.push_back(std::move(run));
    }
  } catch (const BadStream& e) {
    err << "gradscope replay: " << e.what() << '\n';
    return kExitUsage;
  }

  // Pass 2: the rows.
  if (!metrics.empty()) {
    std::unique_ptr<PendingFile> file;
    try {
      file = std::make_unique<PendingFile>(metrics);
    } catch (const std::exception& e) {
      err << "gradscope replay: --metrics: " << e.what() << '\n';
      return kExitUsage;
    }
    std::string line = "run,step,loss,accuracy";
    for (const auto& p : paramColumns) line.append(",").append(quoteCsv("gradnorm_" + p));
    for (const auto& p : paramColumns) line.append(",").append(quoteCsv("update_ratio_" + p));
    for (const auto& m : moduleDz) line.append(",").append(quoteCsv("mean_abs_dz_" + m));
    for (const auto& m : moduleDead) line.append(",").append(quoteCsv("dead_" + m));
    for (const auto& s : scalarColumns) line.append(",").append(quoteCsv(s));
    line += '\n';
    file->write(line);
    long rows = 0;
    try {
      for (std::size_t run = 0; run < runs.size(); ++run) {
        const StreamHeader& h = runs[run].header;
        // Where each CSV column's value is in this run's records (-1: not in this run).
        const auto indexes = [](const std::vector<std::string>& cols, const auto& names) {
          std::vector<int> at(cols.size(), -1);
          for (std::size_t c = 0; c < cols.size(); ++c)
            for (std::size_t i = 0; i < names.size(); ++i)
              if (names[i] == cols[c]) at[c] = static_cast<int>(i);
          return at;
        };
        std::vector<std::string> pNames, mNames;
        for (const auto& p : h.params) pNames.push_back(p.name);
        for (const auto& m : h.modules) mNames.push_back(moduleLabel(m));
        const auto pAt = indexes(paramColumns, pNames);
        const auto dzAt = indexes(moduleDz, mNames), deadAt = indexes(moduleDead, mNames);
        StreamReader reader;
        readStream(runs[run].path, reader, [&](const StreamRecord& r) {
          line.clear();
          line.append(std::to_string(run + 1)).append(",").append(std::to_string(r.step));
          appendCell(line, r.scalar("loss"));
          appendCell(line, r.scalar("accuracy"));
          for (int i : pAt) appendCell(line, i < 0 ? NAN : r.grad[static_cast<std::size_t>(i)]);
          for (int i : pAt) appendCell(line, i < 0 ? NAN : r.ratio[static_cast<std::size_t>(i)]);
          for (int i : dzAt) appendCell(line, i < 0 ? NAN : r.dz[static_cast<std::size_t>(i)]);
          for (int i : deadAt) appendCell(line, i < 0 ? NAN : r.dead[static_cast<std::size_t>(i)]);
          for (const auto& s : scalarColumns) appendCell(line, r.scalar(s));
          line += '\n';
          file->write(line);
          ++rows;
        });
      }
      file->commit();
    } catch (const BadStream& e) {  // the file changed between the passes
      err << "gradscope replay: " << e.what() << '\n';
      return kExitUsage;
    } catch (const std::exception& e) {
      err << "gradscope replay: " << e.what() << '\n';
      return kExitIoError;
    }
    out << "metrics: " << metrics << " (" << thousands(rows) << " rows)\n";
  }

  // The summary.
  bool diverged = false;
  for (std::size_t run = 0; run < runs.size(); ++run) {
    const RunSummary& r = runs[run];
    const StreamHeader& h = r.header;
    out << (run ? "\n" : "") << "run " << run + 1 << ": " << h.name << " (" << r.path << "), "
        << thousands(r.records) << " logged steps";
    if (r.records > 0)
      out << " (" << r.firstStep << " to " << r.lastStep << ", every " << h.logEvery << ")";
    out << ", " << h.params.size() << " parameter tensors" << (h.torch.empty() ? "" : ", torch ")
        << h.torch << '\n';
    if (std::isfinite(r.lastLoss) || std::isfinite(r.lastAccuracy))
      out << "  last loss " << number(r.lastLoss) << ", accuracy " << number(r.lastAccuracy)
          << '\n';
    if (!r.diverged.empty()) {
      out << "  diverged at " << r.diverged << '\n';
      diverged = true;
    }
    std::size_t nameWidth = 9;
    for (const auto& p : h.params)
      nameWidth = std::max(nameWidth, std::min<std::size_t>(p.name.size(), 40));
    out << "  " << pad("parameter", nameWidth) << "  " << pad("shape", 12)
        << pad("‖grad‖ first", 13, true) << pad("last", 11, true) << pad("min", 11, true)
        << pad("max", 11, true) << pad("update ratio", 14, true) << '\n';
    for (std::size_t i = 0; i < h.params.size(); ++i) {
      const ParamSummary& p = r.params[i];
      out << "  " << pad(h.params[i].name, nameWidth) << "  "
          << pad(shapeText(h.params[i].shape), 12) << pad(number(p.first), 13, true)
          << pad(number(p.last), 11, true)
          << pad(number(std::isfinite(p.first) ? p.min : NAN), 11, true)
          << pad(number(std::isfinite(p.first) ? p.max : NAN), 11, true)
          << pad(number(p.ratio), 14, true) << '\n';
    }
    bool anyRelu = false;
    for (std::size_t m = 0; m < h.modules.size(); ++m) {
      if (!h.modules[m].relu) continue;
      if (!anyRelu)
        out << "  " << pad("module", nameWidth) << "  " << pad("type", 12)
            << pad("dead last", 13, true) << pad("mean", 11, true) << '\n';
      anyRelu = true;
      const ModuleSummary& s = r.modules[m];
      out << "  " << pad(moduleLabel(h.modules[m]), nameWidth) << "  " << pad(h.modules[m].type, 12)
          << pad(number(s.last), 13, true)
          << pad(number(s.count ? s.sum / static_cast<double>(s.count) : NAN), 11, true) << '\n';
    }
  }
  return diverged ? kExitDiverged : kExitOk;
}

}  // namespace gradscope::cli
