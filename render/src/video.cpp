// SPDX-License-Identifier: Apache-2.0
#include "cordon/render/video.hpp"

#include <unistd.h>

#include <filesystem>
#include <stdexcept>

#include "cordon/base/atomic_file.hpp"

namespace cordon::render {
namespace {

std::string Quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

}  // namespace

VideoWriter::VideoWriter(std::string path, int width, int height, int fps)
    : path_(std::move(path)), width_(width), height_(height) {
  const std::filesystem::path p(path_);
  const std::string ext = p.extension().string();
  if (ext != ".mp4" && ext != ".gif")
    throw std::runtime_error(path_ + ": video output must end in .mp4 or .gif");
  if (width % 2 || height % 2) throw std::runtime_error("video size must be even");
  temp_ = TempPathFor(path_);
  const std::string input = "-f rawvideo -pix_fmt rgb24 -s " + std::to_string(width) + "x" +
                            std::to_string(height) + " -r " + std::to_string(fps) + " -i -";
  const std::string output =
      ext == ".mp4"
          ? "-c:v libx264 -pix_fmt yuv420p -preset veryfast -crf 20"
          : "-vf 'split[a][b];[a]palettegen=stats_mode=full[p];[b][p]paletteuse=dither=none'";
  const std::string cmd =
      "ffmpeg -hide_banner -loglevel error -y " + input + " " + output + " " + Quote(temp_);
  pipe_ = ::popen(cmd.c_str(), "w");
  if (!pipe_) throw std::runtime_error("cannot start ffmpeg (install Debian's ffmpeg package)");
}

VideoWriter::~VideoWriter() {
  if (pipe_) ::pclose(pipe_);
  std::error_code ec;
  std::filesystem::remove(temp_, ec);
}

void VideoWriter::Add(const Image& frame) {
  if (frame.width != width_ || frame.height != height_)
    throw std::runtime_error("frame size changed");
  if (std::fwrite(frame.rgb.data(), 1, frame.rgb.size(), pipe_) != frame.rgb.size())
    throw std::runtime_error(path_ + ": ffmpeg stopped taking frames");
  ++frames_;
}

void VideoWriter::Finish() {
  const int status = ::pclose(pipe_);
  pipe_ = nullptr;
  if (status != 0)
    throw std::runtime_error(path_ + ": ffmpeg failed (exit status " + std::to_string(status) +
                             ")");
  CommitFinishedFile(temp_, path_);
}

}  // namespace cordon::render
