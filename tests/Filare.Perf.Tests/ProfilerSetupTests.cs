using System.Text.Json;
using System.Text.RegularExpressions;
using Filare.Perf.Processes;
using Filare.Perf.Profilers;
using Filare.Perf.Tests.Support;

namespace Filare.Perf.Tests;

/// <summary>
/// PerfSetup with stand-in installers written by the tests: a `uv` on PATH, or a `pip` module in
/// the interpreter's own site-packages. Both log how they were called and install like the real
/// ones do, into the interpreter named by --python (uv) or running them (pip): the py-spy console
/// script into its scripts folder, the memray package into its purelib; what they install are the
/// fakes of tests/fakes. Every test installs into a throwaway virtualenv, never the machine's Python.
/// </summary>
public sealed class ProfilerSetupTests
{
    /// <summary>A uv that logs argv and UV_CACHE_DIR, then (FAKE_UV_MODE) installs, fails offline, fails otherwise, or does nothing.</summary>
    private const string UvScript = """
        #!/usr/bin/env python3
        import json, os, shutil, subprocess, sys
        FAKES_BIN, FAKES_PYTHON = sys.argv.pop(1), sys.argv.pop(1)
        args = sys.argv[1:]
        with open(os.environ["FAKE_UV_LOG"], "a", encoding="utf-8") as log:
            log.write(json.dumps({"argv": args, "UV_CACHE_DIR": os.environ.get("UV_CACHE_DIR")}) + "\n")
        mode = os.environ.get("FAKE_UV_MODE", "install")
        if args[:2] != ["pip", "install"] or "--python" not in args:
            sys.exit("fake uv: only `uv pip install --python PY PACKAGES` is emulated")
        python = args[args.index("--python") + 1]
        packages = [a for a in args[2:] if not a.startswith("-") and a != python]
        if mode == "offline":
            sys.stderr.write(f"error: Failed to fetch: `https://pypi.org/simple/{packages[0]}/`\n"
                             "  Caused by: Request failed after 3 retries\n"
                             f"  Caused by: error sending request for url (https://pypi.org/simple/{packages[0]}/)\n"
                             "  Caused by: client error (Connect)\n"
                             "  Caused by: dns error: failed to lookup address information: Temporary failure in name resolution\n")
            sys.exit(2)
        if mode == "broken":
            sys.stderr.write(f"error: Failed to inspect Python interpreter from provided path at `{python}`\n  Caused by: Permission denied (os error 13)\n")
            sys.exit(2)
        if mode == "noop":
            print(f"Audited {len(packages)} packages in 3ms")
            sys.exit(0)
        paths = json.loads(subprocess.check_output([python, "-c", "import json, sysconfig; print(json.dumps(sysconfig.get_paths()))"], text=True))
        for package in packages:
            if package == "py-spy":
                shutil.copy2(os.path.join(FAKES_BIN, "py-spy"), os.path.join(paths["scripts"], "py-spy"))
            elif package == "memray":
                shutil.copytree(os.path.join(FAKES_PYTHON, "memray"), os.path.join(paths["purelib"], "memray"))
        sys.stderr.write(f"Resolved {len(packages)} packages in 1ms\nInstalled {len(packages)} packages in 1ms\n")
        """;

    /// <summary>`python -m pip` for the virtualenv: logs argv and sys.executable, then installs or fails offline (FAKE_PIP_MODE).</summary>
    private const string PipMain = """
        import json, os, shutil, sys, sysconfig
        FAKES_BIN, FAKES_PYTHON = {0}, {1}
        args = sys.argv[1:]
        with open(os.environ["FAKE_PIP_LOG"], "a", encoding="utf-8") as log:
            log.write(json.dumps({"argv": args, "executable": sys.executable}) + "\n")
        packages = [a for a in args[1:] if not a.startswith("-")]
        if os.environ.get("FAKE_PIP_MODE") == "offline":
            for attempt in range(1, 6):
                sys.stderr.write(f"WARNING: Retrying (Retry(total={5 - attempt}, connect=None, read=None, redirect=None, "
                                 "status=None)) after connection broken by "
                                 "'NewConnectionError('<pip._vendor.urllib3.connection.HTTPSConnection object at 0x7f3a>: "
                                 "Failed to establish a new connection: "
                                 f"[Errno -3] Temporary failure in name resolution')': /simple/{packages[0]}/\n")
            sys.stderr.write(f"ERROR: Could not find a version that satisfies the requirement {packages[0]} (from versions: none)\n"
                             f"ERROR: No matching distribution found for {packages[0]}\n")
            sys.exit(1)
        if os.environ.get("FAKE_PIP_MODE") == "nowheel":  # online, but nothing fits this interpreter
            sys.stderr.write(f"ERROR: Ignored the following versions that require a different python version: 1.0 Requires-Python >=3.99\n"
                             f"ERROR: Could not find a version that satisfies the requirement {packages[0]} (from versions: none)\n"
                             f"ERROR: No matching distribution found for {packages[0]}\n")
            sys.exit(1)
        for package in packages:
            if package == "py-spy":
                shutil.copy2(os.path.join(FAKES_BIN, "py-spy"), os.path.join(sysconfig.get_path("scripts"), "py-spy"))
            elif package == "memray":
                shutil.copytree(os.path.join(FAKES_PYTHON, "memray"), os.path.join(sysconfig.get_path("purelib"), "memray"))
        print("Successfully installed " + " ".join(packages))
        """;

    private sealed class Setup : IDisposable
    {
        public Setup()
        {
            Root = new TestRoot().FixtureScenario("cpu", "--work 2", runs: 1);
            Tools = Root.File_("tools");
            Directory.CreateDirectory(Tools);
            UvLog = Root.File_("uv.log");
            PipLog = Root.File_("pip.log");
        }

        public TestRoot Root { get; }

        public string Tools { get; }

        public string UvLog { get; }

        public string PipLog { get; }

        public string Python => Root.File_("venv/bin/python");

        public string PySpyScript => Root.File_("venv/bin/py-spy");

        /// <summary>A virtualenv without pip (nothing in it but the standard library) for the installers to install into.</summary>
        public async Task<Setup> WithVenvAsync()
        {
            var made = await ToolProcess.RunAsync("python3", ["-m", "venv", "--without-pip", Root.File_("venv")], Root.Path, TimeSpan.FromMinutes(2),
                TestContext.Current.CancellationToken, TestRoot.CleanEnvironment());
            Assert.True(made.Succeeded, made.StandardError);
            return this;
        }

        /// <summary>Writes the fake uv into tools/ (a wrapper passes it where the fakes are).</summary>
        public Setup WithUv()
        {
            var script = Path.Combine(Tools, "uv.py");
            File.WriteAllText(script, UvScript);
            var uv = Path.Combine(Tools, "uv");
            File.WriteAllText(uv, $"#!/bin/sh\nexec python3 '{script}' '{Fakes.Bin}' '{Fakes.PythonPath}' \"$@\"\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(uv, File.GetUnixFileMode(uv) | UnixFileMode.UserExecute);
            }
            return this;
        }

        public async Task<Setup> WithPipAsync()
        {
            var purelib = await ToolProcess.RunAsync(Python, ["-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], Root.Path,
                TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
            Assert.True(purelib.Succeeded, purelib.StandardError);
            var pip = Path.Combine(purelib.StandardOutput.Trim(), "pip");
            Directory.CreateDirectory(pip);
            File.WriteAllText(Path.Combine(pip, "__init__.py"), "");
            File.WriteAllText(Path.Combine(pip, "__main__.py"), PipMain.Replace("{0}", JsonSerializer.Serialize(Fakes.Bin), StringComparison.Ordinal)
                .Replace("{1}", JsonSerializer.Serialize(Fakes.PythonPath), StringComparison.Ordinal));
            return this;
        }

        /// <summary>tools/ (the fake uv, when written) first on PATH, then the machine's; logs and modes for the installers.</summary>
        public Dictionary<string, string> Environment(Dictionary<string, string>? extra = null)
        {
            var environment = new Dictionary<string, string>(extra ?? [], StringComparer.Ordinal)
            {
                ["FAKE_UV_LOG"] = UvLog,
                ["FAKE_PIP_LOG"] = PipLog,
            };
            environment["PATH"] = Tools + Path.PathSeparator + environment.GetValueOrDefault("PATH", Fakes.MachinePath);
            return environment;
        }

        public List<JsonElement> Calls(string log) =>
            File.Exists(log) ? File.ReadAllLines(log).Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList() : [];

        public void Dispose() => Root.Dispose();
    }

    private static string[] Argv(JsonElement call) => call.GetProperty("argv").EnumerateArray().Select(a => a.GetString()!).ToArray();

    private static string OneLine(string output) => Regex.Replace(output, @"\s+", " ");

    [Fact]
    public async Task Installs_the_missing_enabled_profilers_with_uv_into_the_interpreter_and_profiles_with_them()
    {
        using var setup = (await new Setup().WithVenvAsync()).WithUv();

        var outcome = await setup.Root.RunAsync(setup.Environment(), "PerfRun", "--install-profilers", "--profilers", "pyspy", "memray", "--python",
            setup.Python, "--runs", "1");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var call = Assert.Single(setup.Calls(setup.UvLog));
        Assert.Equal(["pip", "install", "--python", setup.Python, "py-spy", "memray"], Argv(call));
        Assert.Equal(setup.Root.File_(".uv-cache"), call.GetProperty("UV_CACHE_DIR").GetString());
        Assert.Matches(@"Installing py-spy memray: \S+/tools/uv pip install --python \S+/venv/bin/python py-spy memray", outcome.Output);
        // Probed again afterwards: found, with their versions...
        Assert.Matches(@"\n\s+pyspy\s+0\.4\.1\s*\n\s+memray\s+1\.19\.1\s*\n", outcome.Output[outcome.Output.IndexOf("Installing", StringComparison.Ordinal)..]);
        // ...and the run that follows profiles with them.
        var runs = Assert.Single(setup.Root.Metrics().Scenarios).Profilers;
        Assert.Equal("ok", runs.Single(r => r.Tool == PySpy.Name).StatusText);
        Assert.Equal("ok", runs.Single(r => r.Tool == Memray.Name).StatusText);
        Assert.Equal("0.4.1", runs.Single(r => r.Tool == PySpy.Name).Version);
        Assert.Equal(setup.Python, setup.Root.Metrics().Environment.PythonExecutable);
    }

    [Fact]
    public async Task Installs_only_what_is_missing()
    {
        using var setup = (await new Setup().WithVenvAsync()).WithUv();
        // py-spy is already on PATH; memray is not importable.
        var environment = setup.Environment(new() { ["PATH"] = Fakes.Bin + Path.PathSeparator + Fakes.MachinePath });

        var outcome = await setup.Root.RunAsync(environment, "PerfSetup", "--install-profilers", "--profilers", "pyspy", "memray", "cprofile", "--python",
            setup.Python);

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Equal(["pip", "install", "--python", setup.Python, "memray"], Argv(Assert.Single(setup.Calls(setup.UvLog))));
        Assert.False(File.Exists(setup.PySpyScript));
        Assert.Matches(@"\n\s+memray\s+1\.19\.1\s*\n", outcome.Output[outcome.Output.IndexOf("Installing memray", StringComparison.Ordinal)..]);
    }

    [Fact]
    public async Task Disabled_profilers_are_not_installed()
    {
        using var setup = (await new Setup().WithVenvAsync()).WithUv();

        var outcome = await setup.Root.RunAsync(setup.Environment(new() { ["FIL_PERF_ENABLE_SCALENE"] = "off" }), "PerfSetup", "--install-profilers",
            "--python", setup.Python);

        // The defaults: py-spy and Scalene on, Memray and cProfile off; Scalene switched off here.
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Equal(["pip", "install", "--python", setup.Python, "py-spy"], Argv(Assert.Single(setup.Calls(setup.UvLog))));
        Assert.True(File.Exists(setup.PySpyScript));
    }

    [Fact]
    public async Task Offline_uv_fails_the_setup_saying_there_is_no_network()
    {
        using var setup = (await new Setup().WithVenvAsync()).WithUv();

        var outcome = await setup.Root.RunAsync(setup.Environment(new() { ["FAKE_UV_MODE"] = "offline" }), "PerfRun", "--install-profilers", "--profilers",
            "pyspy", "--python", setup.Python);

        Assert.Equal(1, outcome.ExitCode);
        var output = OneLine(outcome.Output);
        Assert.Contains($"Could not install pyspy into {setup.Python} (no network: the package index is unreachable from here); {setup.Tools}/uv exited 2:",
            output, StringComparison.Ordinal);
        Assert.Contains("dns error", output, StringComparison.Ordinal);
        Assert.Single(setup.Calls(setup.UvLog));
        Assert.Matches(@"PerfSetup\s+Failed", outcome.Output);
        // The run still measures without the tool, reports it as not installed, and the build fails.
        Assert.Matches(@"PerfPrepare\s+Succeeded", outcome.Output);
        Assert.Matches(@"Measure\s+Succeeded", outcome.Output);
        Assert.Contains("Build failed", outcome.Output, StringComparison.Ordinal);
        var pyspy = Assert.Single(Assert.Single(setup.Root.Metrics().Scenarios).Profilers);
        Assert.Equal("skipped: not installed", pyspy.StatusText);
    }

    [Fact]
    public async Task Any_other_install_failure_fails_without_blaming_the_network()
    {
        using var setup = (await new Setup().WithVenvAsync()).WithUv();

        var outcome = await setup.Root.RunAsync(setup.Environment(new() { ["FAKE_UV_MODE"] = "broken" }), "PerfSetup", "--install-profilers", "--profilers",
            "pyspy", "--python", setup.Python);

        Assert.Equal(1, outcome.ExitCode);
        var output = OneLine(outcome.Output);
        Assert.Contains($"Could not install pyspy into {setup.Python}; {setup.Tools}/uv exited 2:", output, StringComparison.Ordinal);
        Assert.Contains("Permission denied", output, StringComparison.Ordinal);
        Assert.DoesNotContain("no network", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_installer_that_exits_zero_but_installs_nothing_still_fails_the_setup()
    {
        using var setup = (await new Setup().WithVenvAsync()).WithUv();

        var outcome = await setup.Root.RunAsync(setup.Environment(new() { ["FAKE_UV_MODE"] = "noop" }), "PerfSetup", "--install-profilers", "--profilers",
            "pyspy", "memray", "--python", setup.Python);

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains($"Could not install pyspy, memray into {setup.Python}; {setup.Tools}/uv exited 0:", OneLine(outcome.Output), StringComparison.Ordinal);
        Assert.Matches(@"pyspy\s+still missing", outcome.Output);
    }

    [Fact]
    public async Task Install_profilers_is_off_by_default_locally()
    {
        using var setup = (await new Setup().WithVenvAsync()).WithUv();

        var outcome = await setup.Root.RunAsync(setup.Environment(), "PerfSetup", "--profilers", "pyspy", "--python", setup.Python);

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Matches(@"PerfSetup\s+Skipped\s+--install-profilers and --setup-filare are off \(they default to on in CI\)", outcome.Output);
        Assert.Empty(setup.Calls(setup.UvLog));
    }

    [Theory]
    [InlineData("true")]
    [InlineData("1")]
    public async Task Install_profilers_is_on_in_ci(string ci)
    {
        using var setup = (await new Setup().WithVenvAsync()).WithUv();

        var outcome = await setup.Root.RunAsync(setup.Environment(new() { ["CI"] = ci }), "PerfSetup", "--profilers", "pyspy", "--python", setup.Python);

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Matches(@"PerfSetup\s+Succeeded", outcome.Output);
        Assert.Equal(["pip", "install", "--python", setup.Python, "py-spy"], Argv(Assert.Single(setup.Calls(setup.UvLog))));
    }

    [Fact]
    public async Task In_ci_it_can_still_be_switched_off()
    {
        using var setup = (await new Setup().WithVenvAsync()).WithUv();

        var outcome = await setup.Root.RunAsync(setup.Environment(new() { ["CI"] = "true", ["FIL_PERF_INSTALL_PROFILERS"] = "0",
            ["FIL_PERF_SETUP_FILARE"] = "off" }), "PerfSetup", "--profilers", "pyspy", "--python", setup.Python);

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Matches(@"PerfSetup\s+Skipped", outcome.Output);
        Assert.Empty(setup.Calls(setup.UvLog));
    }

    [Fact]
    public async Task Nothing_to_install_says_so_and_runs_no_installer()
    {
        using var setup = (await new Setup().WithVenvAsync()).WithUv();
        var environment = setup.Environment(new() { ["PATH"] = Fakes.Bin + Path.PathSeparator + Fakes.MachinePath, ["PYTHONPATH"] = Fakes.PythonPath });

        var outcome = await setup.Root.RunAsync(environment, "PerfSetup", "--install-profilers", "--profilers", "pyspy", "memray", "cprofile", "--python",
            setup.Python);

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Contains("Every enabled profiler is installed.", outcome.Output, StringComparison.Ordinal);
        Assert.Matches(@"pyspy\s+0\.4\.1", outcome.Output);
        Assert.Matches(@"memray\s+1\.19\.1", outcome.Output);
        Assert.DoesNotContain("Installing", outcome.Output, StringComparison.Ordinal);
        Assert.Empty(setup.Calls(setup.UvLog));
    }

    [Fact]
    public async Task Without_uv_the_interpreters_own_pip_installs()
    {
        Assert.SkipWhen(ToolProcess.Which("uv", TestRoot.CleanEnvironment()) is not null, "a real uv is on PATH");
        using var setup = await (await new Setup().WithVenvAsync()).WithPipAsync();

        var outcome = await setup.Root.RunAsync(setup.Environment(), "PerfSetup", "--install-profilers", "--profilers", "pyspy", "memray", "--python",
            setup.Python);

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var call = Assert.Single(setup.Calls(setup.PipLog));
        Assert.Equal(["install", "--disable-pip-version-check", "py-spy", "memray"], Argv(call));
        Assert.Equal(setup.Python, call.GetProperty("executable").GetString());
        Assert.Contains($"Installing py-spy memray: {setup.Python} -m pip install --disable-pip-version-check py-spy memray", OneLine(outcome.Output),
            StringComparison.Ordinal);
        Assert.True(File.Exists(setup.PySpyScript));
        Assert.Matches(@"\n\s+pyspy\s+0\.4\.1\s*\n\s+memray\s+1\.19\.1\s*\n", outcome.Output[outcome.Output.IndexOf("Installing", StringComparison.Ordinal)..]);
    }

    [Fact]
    public async Task Offline_pip_fails_the_setup_saying_there_is_no_network()
    {
        Assert.SkipWhen(ToolProcess.Which("uv", TestRoot.CleanEnvironment()) is not null, "a real uv is on PATH");
        using var setup = await (await new Setup().WithVenvAsync()).WithPipAsync();

        var outcome = await setup.Root.RunAsync(setup.Environment(new() { ["FAKE_PIP_MODE"] = "offline" }), "PerfSetup", "--install-profilers", "--profilers",
            "pyspy", "--python", setup.Python);

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains($"Could not install pyspy into {setup.Python} (no network: the package index is unreachable from here); {setup.Python} exited 1:",
            OneLine(outcome.Output), StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_fitting_distribution_with_the_network_up_is_not_called_offline()
    {
        Assert.SkipWhen(ToolProcess.Which("uv", TestRoot.CleanEnvironment()) is not null, "a real uv is on PATH");
        using var setup = await (await new Setup().WithVenvAsync()).WithPipAsync();

        var outcome = await setup.Root.RunAsync(setup.Environment(new() { ["FAKE_PIP_MODE"] = "nowheel" }), "PerfSetup", "--install-profilers", "--profilers",
            "pyspy", "--python", setup.Python);

        Assert.Equal(1, outcome.ExitCode);
        var output = OneLine(outcome.Output);
        Assert.Contains($"Could not install pyspy into {setup.Python}", output, StringComparison.Ordinal);
        Assert.DoesNotContain("no network", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--profilers", "pyspy bogus")]
    [InlineData("FIL_PERF_PROFILERS", "pyspy,bogus")]
    public async Task An_unknown_profiler_name_stops_the_build_naming_the_allowed_ones(string where, string value)
    {
        using var setup = (await new Setup().WithVenvAsync()).WithUv();
        var environment = setup.Environment(where.StartsWith("FIL_", StringComparison.Ordinal) ? new() { [where] = value } : null);
        string[] args = where.StartsWith("--", StringComparison.Ordinal)
            ? ["PerfRun", "--install-profilers", "--python", setup.Python, where, .. value.Split(' ')]
            : ["PerfRun", "--install-profilers", "--python", setup.Python];

        var outcome = await setup.Root.RunAsync(environment, args);

        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("--profilers / FIL_PERF_PROFILERS: unknown profiler 'bogus'; allowed: pyspy, scalene, memray, cprofile, importtime.",
            OneLine(outcome.Output), StringComparison.Ordinal);
        // Stopped before any target: nothing installed, nothing measured.
        Assert.Empty(setup.Calls(setup.UvLog));
        Assert.False(Directory.Exists(setup.Root.RunFolder()));
    }
}
