// Compiled and run at configure time with the project's -march: GCC 12 with AVX-512
// (seen with Debian's 12.2.0) builds the constant {1, 1, 1, 1, 0, 0, 0, 0} as eight 1s
// when its SLP vectorizer broadcasts the low half. Exit status 1 means the bug is there.
#include <vector>

int main() {
  std::vector<double> v{1, 1, 1, 1, 0, 0, 0, 0};
  std::vector<long> w{7, 7, 0, 0};
  return (v[4] == 0 && v[7] == 0 && w[2] == 0 && w[3] == 0) ? 0 : 1;
}
