// A small streaming JSON writer: output goes to an std::ostream in 64 KiB chunks, so
// a 200,000-record registry.pol is rendered without building a document in memory
// and without a stream call per character. It tracks commas and nesting; the caller
// calls key() before each value inside an object. Output is flushed when the
// outermost value ends and when the writer is destroyed.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace gpokit::util {

class JsonWriter {
public:
    // `indent` 0 writes compact JSON; otherwise pretty-printed with that many spaces.
    explicit JsonWriter(std::ostream& out, int indent = 2);
    ~JsonWriter();
    JsonWriter(const JsonWriter&) = delete;
    JsonWriter& operator=(const JsonWriter&) = delete;

    void begin_object();
    // A document's top-level object, opened with its "schema" member: `schema` is
    // "gpokit-NAME/MAJOR" (util/json_schema.hpp, docs/schema/).
    void begin_document(std::string_view schema);
    void end_object();
    void begin_array();
    void end_array();
    void key(std::string_view name);
    void value(std::string_view text); // UTF-8 in, escaped as JSON requires
    void value(const char* text) { value(std::string_view(text)); }
    void value(std::uint64_t number);
    void value(std::int64_t number);
    void value(int number) { value(static_cast<std::int64_t>(number)); }
    void value(bool flag);
    void null();
    void flush();

    // key() then value(), for the common case.
    template <typename T>
    void member(std::string_view name, const T& v)
    {
        key(name);
        value(v);
    }

private:
    void before_value();
    void close(char bracket);
    void newline();
    void write_string(std::string_view text);

    std::ostream& m_out;
    std::string m_buf;
    int m_indent;
    struct Level {
        bool is_object;
        bool empty;
    };
    std::vector<Level> m_levels;
    bool m_after_key = false;
};

} // namespace gpokit::util
