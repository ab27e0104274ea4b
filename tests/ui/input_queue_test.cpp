// The input queue against a real Dear ImGui context, frames far apart (3 fps): taps, typed
// text and double-clicks that happen between two frames all take effect.
#include "ui/input_queue.h"

#include <GLFW/glfw3.h>
#include <gtest/gtest.h>
#include <imgui.h>

namespace gradscope::ui {
namespace {

using Kind = InputEvent::Kind;

class InputQueueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(800, 600);
    io.IniFilename = nullptr;
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
    io.KeyMap[ImGuiKey_Backspace] = GLFW_KEY_BACKSPACE;
  }
  void TearDown() override { ImGui::DestroyContext(); }

  // One frame `dt` seconds after the last, as the app runs one.
  void frame(double dt = 1.0 / 3) {
    ImGuiIO& io = ImGui::GetIO();
    io.DeltaTime = static_cast<float>(dt);
    now += dt;
    queue.deliver(io, ImGui::GetTime() + io.DeltaTime);
    ImGui::NewFrame();
    pressedBackspace += ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Backspace), false);
    clicked += ImGui::IsMouseClicked(0);
    doubleClicked += ImGui::IsMouseDoubleClicked(0);
    ImGui::EndFrame();
  }

  void key(int k, bool down, double t) { queue.push({Kind::Key, k, down, 0, t}); }
  void button(bool down, double t, float x = 100, float y = 100) {
    queue.push({Kind::Button, 0, down, 0, t, x, y});
  }

  InputQueue queue;
  double now = 0;
  int pressedBackspace = 0, clicked = 0, doubleClicked = 0;
};

TEST_F(InputQueueTest, FiveInstantTapsBetweenTwoFramesAreFivePresses) {
  frame();
  for (int i = 0; i < 5; ++i) {
    key(GLFW_KEY_BACKSPACE, true, now + 0.01 * i);
    key(GLFW_KEY_BACKSPACE, false, now + 0.01 * i + 0.001);
  }
  for (int i = 0; i < 12; ++i) frame();
  EXPECT_EQ(pressedBackspace, 5);
  EXPECT_FALSE(queue.pending());
  EXPECT_FALSE(ImGui::GetIO().KeysDown[GLFW_KEY_BACKSPACE]);
}

TEST_F(InputQueueTest, CtrlChordTypedInstantlyIsSeenWithItsModifier) {
  frame();
  key(GLFW_KEY_LEFT_CONTROL, true, now);
  key(GLFW_KEY_A, true, now + 0.001);
  key(GLFW_KEY_A, false, now + 0.002);
  key(GLFW_KEY_LEFT_CONTROL, false, now + 0.003);
  frame();
  EXPECT_TRUE(ImGui::GetIO().KeyCtrl);
  EXPECT_TRUE(ImGui::IsKeyPressed(GLFW_KEY_A, false));
  frame();
  EXPECT_FALSE(ImGui::GetIO().KeyCtrl);
  EXPECT_FALSE(ImGui::GetIO().KeysDown[GLFW_KEY_A]);
}

TEST_F(InputQueueTest, CharactersArriveInOrder) {
  frame();
  for (unsigned c : {'a', 'b', 'c'}) queue.push({Kind::Char, 0, false, c, now});
  queue.deliver(ImGui::GetIO(), ImGui::GetTime());
  ASSERT_EQ(ImGui::GetIO().InputQueueCharacters.Size, 3);
  EXPECT_EQ(ImGui::GetIO().InputQueueCharacters[0], 'a');
  EXPECT_EQ(ImGui::GetIO().InputQueueCharacters[2], 'c');
}

TEST_F(InputQueueTest, DoubleClickBetweenSlowFramesIsADoubleClick) {
  frame();
  button(true, now + 0.01);
  button(false, now + 0.05);
  button(true, now + 0.12);
  button(false, now + 0.16);
  for (int i = 0; i < 6; ++i) frame();
  EXPECT_EQ(clicked, 2);
  EXPECT_EQ(doubleClicked, 1);
}

TEST_F(InputQueueTest, TwoClicksFarApartInTimeAreNotADoubleClick) {
  frame();
  button(true, now + 0.01);
  button(false, now + 0.05);
  button(true, now + 0.51);  // 0.5 s later: over ImGui's 0.30 s
  button(false, now + 0.55);
  for (int i = 0; i < 6; ++i) frame(0.05);  // even though the frames are close together
  EXPECT_EQ(clicked, 2);
  EXPECT_EQ(doubleClicked, 0);
}

TEST_F(InputQueueTest, ThreeQuickClicksAreOneDoubleClickThenASingleClick) {
  frame();
  for (int i = 0; i < 3; ++i) {
    button(true, now + 0.1 * i);
    button(false, now + 0.1 * i + 0.02);
  }
  for (int i = 0; i < 8; ++i) frame();
  EXPECT_EQ(clicked, 3);
  EXPECT_EQ(doubleClicked, 1);
}

TEST_F(InputQueueTest, AClickIsDeliveredWhereItHappened) {
  frame();
  button(true, now, 40, 50);
  button(false, now + 0.01, 40, 50);
  ImGui::GetIO().MousePos = ImVec2(700, 500);  // the pointer has moved on since
  frame();
  EXPECT_EQ(ImGui::GetIO().MouseClickedPos[0].x, 40);
  EXPECT_EQ(ImGui::GetIO().MouseClickedPos[0].y, 50);
}

}  // namespace
}  // namespace gradscope::ui
