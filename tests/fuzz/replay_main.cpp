// Replays every file under the directories given on the command line through the
// fuzz target it is linked with, so each target's seeds and committed crashers run
// in every test run without clang or libFuzzer. A property failure aborts and an
// exception other than util::Error escapes: either way the test fails.
//
// It also fails (exit 1) when a directory given is missing, or when no file was
// replayed at all: a test that checks nothing must not pass. Files whose names start
// with '.' are skipped (a crashers/<target>/.keep holds the folder in git until its
// first crasher).
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

int main(int argc, char** argv)
{
    namespace fs = std::filesystem;
    if (argc < 2) {
        std::cerr << "usage: " << argv[0] << " DIR...\n";
        return 1;
    }
    std::size_t count = 0;
    for (int i = 1; i < argc; ++i) {
        if (!fs::is_directory(argv[i])) {
            std::cerr << "fuzz_replay: not a directory: " << argv[i] << '\n';
            return 1;
        }
        std::vector<fs::path> files; // sorted, so that a failure names the same file every time
        for (const auto& e : fs::recursive_directory_iterator(argv[i]))
            if (e.is_regular_file() && e.path().filename().string().front() != '.')
                files.push_back(e.path());
        std::sort(files.begin(), files.end());
        for (const auto& path : files) {
            std::cout << path.string() << std::endl; // the last line shown names a failing input
            std::ifstream in(path, std::ios::binary);
            if (!in) {
                std::cerr << "fuzz_replay: cannot read " << path.string() << '\n';
                return 1;
            }
            const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
            LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
            ++count;
        }
        std::cout << "replayed " << files.size() << " inputs from " << argv[i] << '\n';
    }
    std::cout << "replayed " << count << " inputs\n";
    if (count == 0) {
        std::cerr << "fuzz_replay: no input to replay\n";
        return 1;
    }
    return 0;
}
