#include "stage/import_script.hpp"

#include "stage/migration.hpp"
#include "stage/signature.hpp"

#include <fmt/format.h>

namespace gpokit::stage {

namespace {

// A PowerShell single-quoted string.
std::string ps_quoted(std::string_view text)
{
    std::string out = "'";
    for (const char c : text)
        out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
}

std::string crlf(const std::string& text)
{
    std::string out;
    for (const char c : text) {
        if (c == '\n')
            out += '\r';
        out += c;
    }
    return out;
}

} // namespace

std::string import_script(const Bundle& bundle, const std::vector<SumEntry>& files)
{
    std::string s = fmt::format(R"PS(<#
.SYNOPSIS
    Imports the GPOs of this gpokit staging bundle into the domain, after checking it.

.DESCRIPTION
    Written by gpokit {version} on {created} for {count} GPO(s). Steps, in order; any
    failure stops the script before the next step:
      1. Every file of the bundle is checked with Get-FileHash against the SHA-256
         values embedded below and against SHA256SUMS; a missing, changed or added
         file stops it. With SHA256SUMS.p7s present, its CMS signature of SHA256SUMS is
         checked (.NET SignedCms), and with -SignerThumbprint, who made it.
      2. Each GPO's current version (Get-GPO: user DSVersion * 65536 + computer
         DSVersion, the directory's versionNumber) must equal the base version the
         change was prepared against; a GPO that moved since is refused.
         A GPO that does not exist is refused unless -CreateIfNeeded is given.
      3. Each existing GPO is backed up first (Backup-GPO into -PreImportBackupPath).
      4. Import-GPO -BackupId -Path -TargetGuid -MigrationTable imports it.
      5. With -Links, the links the base recorded (a `live fetch --all` base) are made
         where missing (New-GPLink) and set as recorded (Set-GPLink); without it, links
         are left alone. WMI filters are never changed.
    A transcript goes to -TranscriptPath. -WhatIf runs the checks and changes nothing.

.NOTES
    gpokit writes this script but cannot run it: the machine that wrote it has no
    PowerShell. It was checked there for what can be checked without running it (the
    paths it names exist in the bundle, the hashes it embeds match the files).
#>
[CmdletBinding(SupportsShouldProcess = $true)]
param(
    [string]$Domain = $env:USERDNSDOMAIN,
    [string]$Server,
    [switch]$CreateIfNeeded,
    [switch]$Links,
    [string]$SignerThumbprint,
    [string]$PreImportBackupPath = (Join-Path $env:TEMP ('gpokit-pre-import-' + (Get-Date -Format 'yyyyMMdd-HHmmss'))),
    [string]$TranscriptPath = (Join-Path $env:TEMP ('gpokit-import-' + (Get-Date -Format 'yyyyMMdd-HHmmss') + '.log'))
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 2.0
$Bundle = $PSScriptRoot

# Every file of the bundle but SHA256SUMS, its signature and this script, with its SHA-256.
$Expected = [ordered]@{{
)PS",
                                fmt::arg("version", bundle.gpokit_version), fmt::arg("created", bundle.created),
                                fmt::arg("count", bundle.gpos.size()));
    for (const auto& f : files)
        s += fmt::format("    {} = {}\n", ps_quoted(f.path), ps_quoted(f.hash));
    s += "}\n\n# The GPOs: GUID, name, backup ID in backups\\, base version, links as the base records them.\n"
         "$Gpos = @(\n";
    for (std::size_t i = 0; i < bundle.gpos.size(); ++i) {
        const auto& g = bundle.gpos[i];
        std::string links = "@(";
        for (const auto& l : g.links.value_or(std::vector<gpo::Link>{}))
            links += fmt::format("@{{ Target = {}; Enabled = {}; Enforced = {} }}, ", ps_quoted(l.container),
                                 l.enabled ? "$true" : "$false", l.enforced ? "$true" : "$false");
        if (links.size() > 2)
            links.resize(links.size() - 2);
        links += ")";
        s += fmt::format("    [pscustomobject]@{{ Guid = {}; Name = {}; BackupId = {}; BaseVersion = {}; Links = {} }}{}\n",
                         ps_quoted(g.guid), ps_quoted(g.name), ps_quoted(g.backup_id), g.base_version, links,
                         i + 1 < bundle.gpos.size() ? "," : "");
    }
    s += fmt::format(R"PS()

$GpoArgs = @{{ Domain = $Domain }}
if ($Server) {{ $GpoArgs.Server = $Server }}

Start-Transcript -Path $TranscriptPath | Out-Null
try {{
    # 1. The files.
    Write-Host 'Checking the bundle''s files...'
    $sums = [ordered]@{{}}
    foreach ($line in [IO.File]::ReadAllLines((Join-Path $Bundle 'SHA256SUMS'))) {{
        if ($line -notmatch '^([0-9a-f]{{64}})  (.+)$') {{ throw "SHA256SUMS: malformed line: $line" }}
        $sums[$Matches[2]] = $Matches[1]
    }}
    foreach ($name in $Expected.Keys) {{
        if ($sums[$name] -ne $Expected[$name]) {{ throw "SHA256SUMS disagrees with this script about $name" }}
    }}
    foreach ($name in $sums.Keys) {{
        $path = Join-Path $Bundle ($name -replace '/', '\')
        if (-not (Test-Path -LiteralPath $path -PathType Leaf)) {{ throw "missing: $name" }}
        $hash = (Get-FileHash -LiteralPath $path -Algorithm SHA256).Hash.ToLowerInvariant()
        if ($hash -ne $sums[$name]) {{ throw "changed: $name (SHA-256 $hash, expected $($sums[$name]))" }}
    }}
    $listed = @($sums.Keys) + @('SHA256SUMS', {signature}, {script})
    foreach ($file in Get-ChildItem -LiteralPath $Bundle -Recurse -File) {{
        $name = $file.FullName.Substring($Bundle.Length).TrimStart('\').Replace('\', '/')
        if ($listed -notcontains $name) {{ throw "added: $name (not in SHA256SUMS)" }}
    }}
    $signature = Join-Path $Bundle {signature}
    if (Test-Path -LiteralPath $signature) {{
        Add-Type -AssemblyName System.Security
        $content = New-Object System.Security.Cryptography.Pkcs.ContentInfo (,[IO.File]::ReadAllBytes((Join-Path $Bundle 'SHA256SUMS')))
        $cms = New-Object System.Security.Cryptography.Pkcs.SignedCms ($content, $true)
        $cms.Decode([IO.File]::ReadAllBytes($signature))
        $cms.CheckSignature($true)
        $signer = $cms.SignerInfos[0].Certificate
        if ($SignerThumbprint -and $signer.Thumbprint -ne $SignerThumbprint) {{
            throw "signed by $($signer.Subject) ($($signer.Thumbprint)), not $SignerThumbprint"
        }}
        Write-Host "Signature of SHA256SUMS: valid, signed by $($signer.Subject)"
    }} elseif ($SignerThumbprint) {{
        throw 'the bundle is not signed, and -SignerThumbprint asks for a signer'
    }}

    # 2. The versions.
    foreach ($g in $Gpos) {{
        $current = Get-GPO -Guid $g.Guid @GpoArgs -ErrorAction SilentlyContinue
        if ($null -eq $current) {{
            if (-not $CreateIfNeeded) {{ throw "GPO $($g.Guid) `"$($g.Name)`" does not exist (-CreateIfNeeded creates it)" }}
            $g | Add-Member -NotePropertyName Exists -NotePropertyValue $false
            continue
        }}
        $version = [int64]$current.User.DSVersion * 65536 + [int64]$current.Computer.DSVersion
        if ($version -ne $g.BaseVersion) {{
            throw "GPO $($g.Guid) `"$($g.Name)`" is at version $version, not the base version $($g.BaseVersion) the change was prepared against: it changed since; nothing was imported"
        }}
        $g | Add-Member -NotePropertyName Exists -NotePropertyValue $true
    }}

    # 3 and 4. Back up, then import.
    $backups = Join-Path $Bundle 'backups'
    $migtable = Join-Path $Bundle {migtable}
    foreach ($g in $Gpos) {{
        if ($g.Exists -and $PSCmdlet.ShouldProcess("$($g.Name) $($g.Guid)", "Backup-GPO to $PreImportBackupPath")) {{
            New-Item -ItemType Directory -Force -Path $PreImportBackupPath | Out-Null
            Backup-GPO -Guid $g.Guid -Path $PreImportBackupPath -Comment 'before gpokit bundle import' @GpoArgs | Out-Null
        }}
        if ($PSCmdlet.ShouldProcess("$($g.Name) $($g.Guid)", "Import-GPO backup $($g.BackupId)")) {{
            $import = @{{ BackupId = $g.BackupId; Path = $backups; MigrationTable = $migtable }}
            if ($g.Exists) {{ $import.TargetGuid = $g.Guid }} else {{ $import.TargetName = $g.Name; $import.CreateIfNeeded = $true }}
            Import-GPO @import @GpoArgs | Out-Null
            Write-Host "Imported $($g.Name) $($g.Guid)"
        }}
        if ($Links) {{
            foreach ($l in $g.Links) {{
                $enabled = if ($l.Enabled) {{ 'Yes' }} else {{ 'No' }}
                $enforced = if ($l.Enforced) {{ 'Yes' }} else {{ 'No' }}
                if ($PSCmdlet.ShouldProcess("$($g.Name) at $($l.Target)", 'link')) {{
                    try {{
                        New-GPLink -Guid $g.Guid -Target $l.Target -LinkEnabled $enabled -Enforced $enforced @GpoArgs | Out-Null
                    }} catch {{
                        Set-GPLink -Guid $g.Guid -Target $l.Target -LinkEnabled $enabled -Enforced $enforced @GpoArgs | Out-Null
                    }}
                }}
            }}
        }}
    }}
}}
finally {{
    Stop-Transcript | Out-Null
}}
)PS",
                     fmt::arg("signature", ps_quoted(k_signature_file)), fmt::arg("script", ps_quoted(k_import_script)),
                     fmt::arg("migtable", ps_quoted(k_migtable_file)));
    return "\xEF\xBB\xBF" + crlf(s);
}

} // namespace gpokit::stage
