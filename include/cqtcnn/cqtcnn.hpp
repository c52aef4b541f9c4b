// The whole public API of the cqtcnn library, for a program that wants it in one line:
// audio reading (audio.hpp), the constant-Q transform (cqt.hpp), dB and PCEN (decibels.hpp,
// pcen.hpp), the model's front end (frontend.hpp), the network (model.hpp) and classifying
// recordings (classifier.hpp). examples/classify.cpp shows it in use.
#pragma once

#include "cqtcnn/audio.hpp"
#include "cqtcnn/classifier.hpp"
#include "cqtcnn/cqt.hpp"
#include "cqtcnn/decibels.hpp"
#include "cqtcnn/error.hpp"
#include "cqtcnn/frontend.hpp"
#include "cqtcnn/model.hpp"
#include "cqtcnn/params.hpp"
#include "cqtcnn/pcen.hpp"
#include "cqtcnn/tensor.hpp"
