// Data sets, PNG pictures, figures, checkpoints and the image metrics' classifier:
// #include <gan/io.hpp> with the CMake
// target gan::io (zlib and libpng). The core library is <gan/gan.hpp>.
#pragma once

#include "gan/data/byte_reader.hpp"
#include "gan/data/byte_writer.hpp"
#include "gan/data/csv.hpp"
#include "gan/data/csv_table.hpp"
#include "gan/data/dataset.hpp"
#include "gan/data/fashion_mnist.hpp"
#include "gan/data/idx.hpp"
#include "gan/data/idx_dataset.hpp"
#include "gan/data/loader.hpp"
#include "gan/data/mixture.hpp"
#include "gan/data/pixels.hpp"
#include "gan/data/toy.hpp"
#include "gan/data/transform.hpp"
#include "gan/gan.hpp"
#include "gan/io/checkpoint.hpp"
#include "gan/io/figures.hpp"
#include "gan/io/file.hpp"
#include "gan/io/gnuplot.hpp"
#include "gan/io/grid.hpp"
#include "gan/io/image.hpp"
#include "gan/io/png.hpp"
#include "gan/metric/classifier.hpp"
#include "gan/metric/image_quality.hpp"
