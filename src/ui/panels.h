// One function per panel, each drawing from the Snapshot only and sending commands through
// UiState (see docs/ARCHITECTURE.md: panels never reach into the trainer or the network).
#pragma once

#include <imgui.h>

#include <string>

#include <vector>

#include "train/lesson.h"
#include "train/snapshot.h"
#include "ui/plot.h"
#include "ui/ui_state.h"

namespace gradscope::ui {

class BoundaryRenderer;

// The lessons in English (0) and Korean (1), loaded once at start.
struct LessonBook {
  std::vector<Lesson> lessons[2];
  // Per lesson, in order: the sessions that are its experiment (lessonSessions), to tell the
  // learner when the session in the window is not the lesson shown. Empty where a preset
  // could not be read.
  std::vector<std::vector<SessionConfig>> sessions;
  std::string error;  // why a file could not be read
};

void drawControlsPanel(const Snapshot& snap, UiState& state);
void drawActivationPanel(const Snapshot& snap, UiState& state);
void drawGradientPanel(const Snapshot& snap, UiState& state);
void drawNeuronPanel(const Snapshot& snap, UiState& state);
void drawLossPanel(const Snapshot& snap, UiState& state);
// The boundary panel's window title for the data it shows ("###" + `id` keeps the window).
std::string boundaryTitle(const Snapshot& snap, const char* id);
void drawBoundaryPanel(const Snapshot& snap, UiState& state, BoundaryRenderer& renderer);
// The views for data that is not a plane (image_panel.cpp), shown in the boundary panel when
// they fit the data: first-layer weights and test images for image data, the confusion matrix
// for any set of classes.
void drawWeightImages(const Snapshot& snap, const UiState& state, BoundaryRenderer& renderer);
void drawTestImages(const Snapshot& snap, const UiState& state, BoundaryRenderer& renderer);
void drawConfusionMatrix(const Snapshot& snap, const UiState& state);
void drawLessonsPanel(const Snapshot& snap, UiState& state, const LessonBook& book);
void drawStatusBar(const Snapshot& snap, const UiState& state, float frameMs);

// Shared look: the colour of layer l of L (a sequential map: input side dark, output bright)
// and the colour of run r.
ImU32 layerColor(int layer, int layers);
ImU32 runColor(int run);
// Run `index`'s colour as its charts draw it: faded once the run has diverged (its last values
// are stale).
ImU32 runColor(const RunSnapshot& run, int index);
// The x axis of a chart over training steps: the preset's horizon while the runs are within
// it (the lines unfold left to right), then fitted to the data.
void stepAxis(const Snapshot& snap);
// Line style of a run's series: its colour, and a diverged run's values kept out of the axes' fit.
plot::LineStyle runLine(const RunSnapshot& run, int index, float thickness, plot::Pattern pattern);
// A wrapped tooltip on the last item.
void tooltip(const char* text);
// Records the last item's rectangle as `name` in state.itemRects.
void rememberItem(UiState& state, const char* name);
// Text wrapped to the available width at spaces only (Dear ImGui 1.86 also breaks after '.'
// and ',', which splits numbers such as 0.25).
void wrappedText(const std::string& text);
// What the shown evaluations cover when that is not the whole of each set, e.g. "measured on
// the first 1000 of 10000 training and 1000 of 10000 test samples"; empty when whole.
std::string evalCoverage(const Snapshot& snap);
// The lines `text` wraps into at `width` pixels, breaking at spaces and newlines only (the
// pure part; `measure` gives a string's width).
std::vector<std::string> wrapLines(const std::string& text, float width,
                                   float (*measure)(const std::string&));
// `text` cut after its last whole word that fits in `width` pixels with "…" added (the text
// itself when it fits; its first word with "…" when not even that fits). For one-line places
// such as a combo's preview, where wrapping cannot be.
std::string fitWords(const std::string& text, float width, float (*measure)(const std::string&));
// Text in the disabled colour, wrapped like wrappedText.
void wrappedTextDisabled(const std::string& text);
// A snapshot series as a plot line, read across its chunks without a copy.
void seriesLine(const char* label, const SeriesData& series, const plot::LineStyle& style);
// A snapshot series smoothed for drawing at `pixels` width (plot::smoothForDisplay).
void smoothSeries(const SeriesData& series, double weight, bool logDomain, float pixels,
                  std::vector<float>& outX, std::vector<float>& outY);
// The mean of a series' finite values in each of `columns` equal step bins over [x0, x1]
// (out[c], NaN for a bin before the first or after the last point; a bin between points that
// holds none repeats the bin before it, the value the series held there).
void binSeries(const SeriesData& series, double x0, double x1, int columns,
               std::vector<float>& out);
// How many consecutive items of `count` to merge into one cell so that each cell is at least
// `minPixels` of `pixels` (1 when they fit as they are).
int groupSize(int count, float pixels, float minPixels);
// Label every k-th of a row of slots `slot` pixels apart so that labels up to `labelWidth`
// wide, with `gap` between them, never overlap; returns k ≥ 1.
int labelStride(float slot, float labelWidth, float gap);
// A greyed version of `color` (for a run that stopped: diverged).
ImU32 staleColor(ImU32 color);
// SameLine (with `spacing`) when an item `width` pixels wide still fits on the current line
// after the last item; otherwise the next item starts a new line. Returns whether it stayed.
bool sameLineIfFits(float width, float spacing);
// 12345678 → "12,345,678".
std::string groupThousands(long value);

}  // namespace gradscope::ui
