// Latin words read back from a real frame's draw data (ImGui's built-in font, no window).
#include "ui/text_audit.h"

#include <gtest/gtest.h>
#include <imgui.h>

namespace gradscope::ui {
namespace {

std::vector<std::string> wordsOf(void (*draw)(), const std::set<std::string>& kept) {
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.DisplaySize = ImVec2(800, 600);
  io.DeltaTime = 1.0f / 60;
  unsigned char* pixels = nullptr;
  int w = 0, h = 0;
  io.Fonts->AddFontDefault();
  io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
  ImGui::NewFrame();
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(800, 600));
  ImGui::Begin("##audit", nullptr, ImGuiWindowFlags_NoTitleBar);
  draw();
  ImGui::End();
  ImGui::Render();
  auto words = latinWords(*ImGui::GetDrawData(), *io.Fonts->Fonts[0], kept);
  ImGui::DestroyContext();
  return words;
}

TEST(TextAudit, ReadsTheWordsDrawnBackFromTheDrawData) {
  const auto words = wordsOf(
      [] {
        ImGui::Text("Hello world, 12 steps x1 weight_decay");
        ImGui::Button("Reset##id");
        static bool on = false;
        ImGui::Checkbox("log axis###k", &on);
      },
      {"world"});
  EXPECT_EQ(words,
            (std::vector<std::string>{"Hello", "Reset", "axis", "log", "steps", "weight_decay"}));
}

TEST(TextAudit, KeepsWordsOfTheKoreanTextsAndTheTables) {
  const auto kept = keptLatinWords("ReLU는 기울기 lr이");
  EXPECT_TRUE(kept.count("ReLU"));
  EXPECT_TRUE(kept.count("lr"));
  EXPECT_TRUE(kept.count("Sigmoid"));       // an activation's name
  EXPECT_TRUE(kept.count("weight_decay"));  // a PyTorch argument
  EXPECT_FALSE(kept.count("step"));
  EXPECT_FALSE(kept.count("loss"));
}

}  // namespace
}  // namespace gradscope::ui
