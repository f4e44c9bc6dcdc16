// bench_parse: in-process parse throughput of gpokit::pol::PolFile::parse.
//
//   bench_parse FILE [SECONDS]
//
// Reads FILE into memory once, then times PolFile::parse on a fresh copy of the
// bytes (the copy is made outside the timed region; the parsed file is destroyed
// outside it too). Runs enough iterations to fill ~SECONDS (default 1.0, at least
// 5 runs). Output is one line of key=value pairs:
//   file=... bytes=N records=N runs=N best_s=X p10_s=X median_s=X p90_s=X mb_per_s=X
// where MB is 10^6 bytes and mb_per_s uses the median run.
#include "pol/pol_file.hpp"
#include "util/bytes.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace {

gpokit::util::Bytes read_all(const char* path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error(std::string("cannot open ") + path);
    std::vector<char> chars((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    gpokit::util::Bytes bytes(chars.size());
    std::transform(chars.begin(), chars.end(), bytes.begin(),
                   [](char c) { return static_cast<std::byte>(c); });
    return bytes;
}

// One timed parse; returns seconds and stores the record count.
double time_one(const gpokit::util::Bytes& bytes, std::size_t& records)
{
    using clock = std::chrono::steady_clock;
    gpokit::util::Bytes copy = bytes;
    const auto t0 = clock::now();
    auto file = gpokit::pol::PolFile::parse(std::move(copy), "bench");
    const auto t1 = clock::now();
    records = file.records.size();
    return std::chrono::duration<double>(t1 - t0).count();
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 2 || argc > 3) {
        std::fprintf(stderr, "usage: %s FILE [SECONDS]\n", argv[0]);
        return 2;
    }
    try {
        const double budget = argc == 3 ? std::atof(argv[2]) : 1.0;
        const auto bytes = read_all(argv[1]);
        std::size_t records = 0;
        time_one(bytes, records); // warm-up (page faults, allocator)
        const double once = std::max(time_one(bytes, records), 1e-7);
        const auto runs = static_cast<int>(std::clamp(budget / once, 5.0, 100000.0));
        std::vector<double> times;
        times.reserve(static_cast<std::size_t>(runs));
        for (int i = 0; i < runs; ++i)
            times.push_back(time_one(bytes, records));
        std::sort(times.begin(), times.end());
        const auto at = [&](double q) { return times[static_cast<std::size_t>(q * static_cast<double>(times.size() - 1))]; };
        const double median = at(0.5);
        std::printf("file=%s bytes=%zu records=%zu runs=%d best_s=%.9f p10_s=%.9f median_s=%.9f p90_s=%.9f "
                    "mb_per_s=%.1f\n",
                    argv[1], bytes.size(), records, runs, times.front(), at(0.1), median, at(0.9),
                    static_cast<double>(bytes.size()) / median / 1e6);
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_parse: %s\n", e.what());
        return 1;
    }
}
