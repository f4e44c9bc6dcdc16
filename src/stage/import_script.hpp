// Import-Bundle.ps1: the Windows side of a staging bundle, for a domain where GPMC's
// PowerShell module does the import. Written by gpokit, never run where gpokit runs
// (there is no PowerShell there); what it does is in its own help text.
#pragma once

#include "stage/bundle.hpp"
#include "stage/sums.hpp"

#include <string>
#include <vector>

namespace gpokit::stage {

inline constexpr std::string_view k_import_script = "Import-Bundle.ps1";

// The script for `bundle`, embedding the SHA-256 of `files` (every file of the bundle
// written before it). CRLF line ends, UTF-8 with a BOM (what Windows PowerShell 5.1
// needs to read non-ASCII text right).
std::string import_script(const Bundle& bundle, const std::vector<SumEntry>& files);

} // namespace gpokit::stage
