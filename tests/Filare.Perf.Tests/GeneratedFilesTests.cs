using Filare.Perf.Tests.Support;

namespace Filare.Perf.Tests;

/// <summary>Generated files are committed; they must be exactly what the generator writes today.</summary>
public sealed class GeneratedFilesTests
{
    public static TheoryData<string> Paths() => [.. Build.GeneratedFiles(Repository.Root).Keys];

    [Theory]
    [MemberData(nameof(Paths))]
    public void Committed_file_matches_the_generator(string path)
    {
        var committed = Path.Combine(Repository.Root, path);

        Assert.True(File.Exists(committed), $"{path} is missing; run ./build.sh --generate-configuration");
        Assert.True(Build.GeneratedFiles(Repository.Root)[path] == File.ReadAllText(committed),
            $"{path} is stale; run ./build.sh --generate-configuration and commit the result");
    }

    [Fact]
    public void Every_documented_filare_variable_is_a_parameter()
    {
        var reference = Build.GeneratedFiles(Repository.Root)[Perf.Settings.SettingsReference.RelativePath];
        string[] documented =
        [
            "FIL_PERF_ENABLE_PYSPY", "FIL_PERF_ENABLE_SCALENE", "FIL_PERF_ENABLE_MEMRAY", "FIL_PERF_ENABLE_CPROFILE",
            "FIL_PERF_OUTPUT_DIR", "FIL_PERF_RUN_LABEL", "FIL_PERF_CONTAINER_IMAGE",
            "FIL_PERF_SPY_RATE", "FIL_PERF_SPY_OUTPUT", "FIL_PERF_SPY_NATIVE", "FIL_PERF_SPY_IDLE", "FIL_PERF_SPY_SUBPROCESSES",
            "FIL_PERF_SCALENE_CPU_RATE", "FIL_PERF_SCALENE_MEMORY", "FIL_PERF_SCALENE_HTML",
            "FIL_PERF_MEMRAY_NATIVE", "FIL_PERF_MEMRAY_FORMAT", "FIL_PERF_MEMRAY_AGGREGATE",
            "FIL_PERF_CPROFILE_SORT", "FIL_PERF_CPROFILE_FORMAT", "FIL_PERF_FILARE_ROOT", "FIL_PERF_PYTHON",
        ];

        Assert.All(documented, name => Assert.Contains($"| `{name}` |", reference, StringComparison.Ordinal));
    }
}
