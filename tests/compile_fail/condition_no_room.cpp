// Must not compile: a ten-class conditional model on networks whose sizes, fixed at
// compile time, leave no room for the labels (D takes one channel, the images).
#include <gan/gan.hpp>

using namespace gan;

int main() {
  ConditionalDCGAN<10, net::DcganGenerator28<float, 62 + 10>, net::DcganDiscriminator28<float, 1>>
      model;
  (void)model;
}
