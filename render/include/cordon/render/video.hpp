// SPDX-License-Identifier: Apache-2.0
#pragma once
/// Animation export: frames piped as raw RGB to ffmpeg (Debian's ffmpeg
/// package), which encodes MP4 (H.264, yuv420p) or GIF (with a palette made
/// from the frames). The file appears under its name only when complete.

#include <cstdio>
#include <string>

#include "cordon/render/image.hpp"

namespace cordon::render {

class VideoWriter {
 public:
  /// Starts ffmpeg for `path` (.mp4 or .gif) at width x height (even numbers) and `fps`.
  /// Throws std::runtime_error when ffmpeg cannot be started or the extension is unknown.
  VideoWriter(std::string path, int width, int height, int fps);
  VideoWriter(const VideoWriter&) = delete;
  VideoWriter& operator=(const VideoWriter&) = delete;
  /// Stops ffmpeg and removes the partial file unless Finish() succeeded.
  ~VideoWriter();

  /// Appends one frame (must have the writer's size).
  void Add(const Image& frame);
  /// Closes the stream, waits for ffmpeg and renames the file into place.
  void Finish();
  int Frames() const { return frames_; }

 private:
  std::string path_, temp_;
  int width_, height_;
  std::FILE* pipe_ = nullptr;
  int frames_ = 0;
};

}  // namespace cordon::render
