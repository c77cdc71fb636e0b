using Filare.Perf.Engine;
using Filare.Perf.Tests.Support;

namespace Filare.Perf.Tests;

/// <summary>The names Filare's own docs (docs/features/performance-tools/*-support.md) give the settings.</summary>
public sealed class FilareDocNamesTests
{
    private static (Build Build, IReadOnlyList<string> Warnings) Resolve(Dictionary<string, string> environment)
    {
        var resolver = new ParameterResolver(ParameterCatalog.For(typeof(Build), new Build()));
        var parameters = resolver.Resolve(null, ".nuke/parameters.json", environment, CommandLineArguments.Parse([]));
        var build = new Build();
        foreach (var parameter in parameters)
        {
            parameter.Definition.Property.SetValue(build, parameter.Value);
        }
        return (build, resolver.Warnings);
    }

    [Theory]
    [InlineData("FIL_PERF_SPY_ENABLED", "0")]
    [InlineData("FIL_PERF_SCALENE_ENABLED", "false")]
    [InlineData("FIL_PERF_MEMRAY_ENABLED", "1")]
    [InlineData("FIL_PERF_CPROFILE_ENABLED", "yes")]
    public void Each_tools_enabled_name_from_filares_docs_switches_that_tool(string name, string value)
    {
        var (build, warnings) = Resolve(new() { [name] = value });

        Assert.Empty(warnings);
        var enabled = name switch
        {
            "FIL_PERF_SPY_ENABLED" => build.Settings.PySpy.Enabled,
            "FIL_PERF_SCALENE_ENABLED" => build.Settings.Scalene.Enabled,
            "FIL_PERF_MEMRAY_ENABLED" => build.Settings.Memray.Enabled,
            _ => build.Settings.CProfile.Enabled,
        };
        // Each value is the opposite of that tool's default: the alias was applied.
        Assert.Equal(value is "1" or "yes", enabled);
    }

    [Fact]
    public void The_alias_and_the_name_agreeing_is_fine_and_disagreeing_is_an_error_naming_both()
    {
        var (agreed, _) = Resolve(new() { ["FIL_PERF_ENABLE_MEMRAY"] = "true", ["FIL_PERF_MEMRAY_ENABLED"] = "1" });
        var error = Assert.Throws<ParameterException>(() => Resolve(new() { ["FIL_PERF_ENABLE_PYSPY"] = "1", ["FIL_PERF_SPY_ENABLED"] = "0" }));

        Assert.True(agreed.Settings.Memray.Enabled);
        var message = Assert.Single(error.Errors);
        Assert.Contains("FIL_PERF_ENABLE_PYSPY=1", message, StringComparison.Ordinal);
        Assert.Contains("FIL_PERF_SPY_ENABLED=0", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_value_under_an_alias_is_reported_under_the_alias()
    {
        var error = Assert.Throws<ParameterException>(() => Resolve(new() { ["FIL_PERF_SCALENE_ENABLED"] = "maybe" }));

        Assert.StartsWith("FIL_PERF_SCALENE_ENABLED=maybe: expected a boolean", Assert.Single(error.Errors), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("FIL_PERF_SPY_PID", "attaching py-spy to a process that is already running")]
    [InlineData("FIL_PERF_MEMRAY_LIVE_PORT", "live mode")]
    [InlineData("FIL_PERF_MEMRAY_OUTPUT", "<run_label>-<scenario>-memray.<ext>")]
    [InlineData("FIL_PERF_CPROFILE_OUTPUT", "<run_label>-<scenario>-cprofile.<ext>")]
    [InlineData("FIL_PERF_SCALENE_OUTPUT", "<run_label>-<scenario>-scalene.<ext>")]
    public void Documented_names_without_meaning_here_get_a_warning_saying_why(string name, string why)
    {
        var (_, warnings) = Resolve(new() { [name] = "1234" });

        var warning = Assert.Single(warnings);
        Assert.StartsWith($"Ignoring {name}: ", warning, StringComparison.Ordinal);
        Assert.Contains(why, warning, StringComparison.Ordinal);
        Assert.DoesNotContain("unknown", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Filares_py_spy_output_name_is_the_format_setting_as_its_docs_write_it()
    {
        var (build, warnings) = Resolve(new() { ["FIL_PERF_SPY_OUTPUT"] = "svg" });

        Assert.Empty(warnings);
        Assert.Equal(Filare.Perf.Results.SpyOutput.Svg, build.Settings.PySpy.Output);
    }

    [Fact]
    public void Settings_md_lists_every_name_filares_docs_use_with_its_status()
    {
        var settings = File.ReadAllText(Path.Combine(Repository.Root, "docs", "performance", "settings.md"));
        string[] names =
        [
            "FIL_PERF_SPY_ENABLED", "FIL_PERF_SCALENE_ENABLED", "FIL_PERF_MEMRAY_ENABLED", "FIL_PERF_CPROFILE_ENABLED", "FIL_PERF_SPY_PID",
            "FIL_PERF_MEMRAY_LIVE_PORT", "FIL_PERF_MEMRAY_OUTPUT", "FIL_PERF_CPROFILE_OUTPUT", "FIL_PERF_SPY_OUTPUT", "FIL_PERF_SPY_RATE",
            "FIL_PERF_SPY_NATIVE", "FIL_PERF_SCALENE_CPU_RATE", "FIL_PERF_SCALENE_MEMORY", "FIL_PERF_SCALENE_HTML", "FIL_PERF_MEMRAY_FORMAT",
            "FIL_PERF_MEMRAY_NATIVE", "FIL_PERF_CPROFILE_SORT", "FIL_PERF_CPROFILE_FORMAT",
        ];

        Assert.All(names, n => Assert.Contains($"| `{n}` |", settings, StringComparison.Ordinal));
    }
}
