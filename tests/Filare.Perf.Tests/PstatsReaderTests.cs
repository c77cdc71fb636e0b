using System.Globalization;
using System.Text.Json;
using Filare.Perf.Analysis;
using Filare.Perf.Checkout;
using Filare.Perf.Processes;
using Filare.Perf.Tests.Support;

namespace Filare.Perf.Tests;

/// <summary>
/// The pstats reader that replaces Python's marshal for files from a PR: it must read what
/// cProfile writes exactly as pstats does, and refuse whatever else marshal could carry.
/// </summary>
public sealed class PstatsReaderTests
{
    private static async Task<byte[]> PythonBytesAsync(string script)
    {
        var file = Path.Combine(Path.GetTempPath(), $"pstats-{Guid.NewGuid():N}.bin");
        var result = await ToolProcess.RunAsync("python3", ["-c", script, file], Path.GetTempPath(), TimeSpan.FromMinutes(1),
            TestContext.Current.CancellationToken);
        Assert.True(result.Succeeded, result.StandardError);
        var bytes = await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken);
        File.Delete(file);
        return bytes;
    }

    [Fact]
    public async Task A_real_cprofile_capture_reads_as_pythons_pstats_reads_it()
    {
        using var root = new TestRoot();
        var pstats = root.File_("fixture.pstats");
        var run = await ToolProcess.RunAsync("python3",
            [PythonEnvironment.Helper("run_program.py"), "--status", pstats + ".status", "--pstats", pstats, "--text", pstats + ".txt", "--json",
                pstats + ".json", "--", Repository.Fixture, "--work", "5"],
            root.Path, TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);
        Assert.True(run.Succeeded, run.StandardError);
        var python = await ToolProcess.RunAsync("python3",
            ["-c", "import json,pstats,sys; s=pstats.Stats(sys.argv[1]).stats; print(json.dumps(sorted([[f,l,n,v[1],v[2]] for (f,l,n),v in s.items()])))",
                pstats],
            root.Path, TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);
        Assert.True(python.Succeeded, python.StandardError);
        var expected = JsonSerializer.Deserialize<List<JsonElement[]>>(python.StandardOutput)!
            .Select(e =>
                $"{e[0].GetString()}|{e[1].GetInt32()}|{e[2].GetString()}|{e[3].GetInt64()}|{e[4].GetDouble().ToString("R", CultureInfo.InvariantCulture)}")
            .Order(StringComparer.Ordinal).ToList();

        var entries = PstatsReader.Read(pstats);

        Assert.True(entries.Count > 10, $"{entries.Count} entries");
        Assert.Equal(expected, entries.Select(e => $"{e.File}|{e.Line}|{e.Function}|{e.Calls}|{e.TotalSeconds.ToString("R", CultureInfo.InvariantCulture)}")
            .Order(StringComparer.Ordinal).ToList());
        Assert.Contains(entries, e => e.File.EndsWith("perf_fixture.py", StringComparison.Ordinal));
    }

    [Theory]
    // A code object: what makes marshal dangerous to load.
    [InlineData("import marshal,sys; open(sys.argv[1],'wb').write(marshal.dumps({('a.py',1,'f'):(1,1,0.1,0.1,{}), 'x': compile('import os','x','exec')}))",
        "never writes")]
    [InlineData("import marshal,sys; open(sys.argv[1],'wb').write(marshal.dumps([1,2,3]))", "does not hold a pstats dictionary")]
    [InlineData("import marshal,sys; open(sys.argv[1],'wb').write(marshal.dumps({('a.py',1,'f'):(1,1,0.1,0.1,{})})[:-3])", "ends in the middle")]
    [InlineData("import marshal,sys; d=x=[]; exec('for i in range(50): x.append([]); x=x[0]'); open(sys.argv[1],'wb').write(marshal.dumps({('a.py',1,'f'):d}))",
        "nested deeper")]
    [InlineData("import marshal,sys; open(sys.argv[1],'wb').write(marshal.dumps({('a.py',1,'f'):(1,'many',0.1,0.1,{})}))", "is not (file, line, function)")]
    [InlineData("import marshal,sys; open(sys.argv[1],'wb').write(marshal.dumps({('a.py',1,'f'):(1,2**200,0.1,0.1,{})}))", "wider than 60 bits")]
    public async Task Anything_but_what_pstats_writes_is_refused(string script, string why)
    {
        var data = await PythonBytesAsync(script);

        var refused = Assert.Throws<InvalidDataException>(() => PstatsReader.Parse(data, "hostile.pstats"));

        Assert.Contains(why, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_declared_string_longer_than_the_file_is_refused_without_allocating_it()
    {
        // '{' then a key whose string claims 2 GB.
        byte[] data = [(byte)'{', (byte)'u', 0xff, 0xff, 0xff, 0x7f, (byte)'0'];

        var refused = Assert.Throws<InvalidDataException>(() => PstatsReader.Parse(data, "hostile.pstats"));

        Assert.Contains("string of", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_hotspot_diff_needs_no_python_process()
    {
        var baseline = await PythonBytesAsync("import marshal,sys; open(sys.argv[1],'wb').write(marshal.dumps({('/x/site-pa" +
            "ckages/filare/render.py',10,'layout'):(5,5,0.5,0.9,{}), ('/x/src/filare/bom.py',3,'rows'):(2,2,0.4,0.4,{})}))");
        var current = await PythonBytesAsync("import marshal,sys; open(sys.argv[1],'wb').write(marshal.dumps({('/y/site-pa" +
            "ckages/filare/render.py',12,'layout'):(7,7,0.8,1.2,{}), ('/y/src/filare/bom.py',3,'rows'):(2,2,0.1,0.1,{})}))");

        var diff = Hotspots.Compare("demo01", PstatsReader.Parse(baseline, "b"), PstatsReader.Parse(current, "c"));

        var grew = Assert.Single(diff.Grew);
        Assert.Equal(("filare/render.py", "layout", 5L, 7L), (grew.File, grew.Function, grew.BaselineCalls, grew.CurrentCalls));
        Assert.Equal(0.3, grew.DeltaSeconds, 9);
        var shrank = Assert.Single(diff.Shrank);
        Assert.Equal(("filare/bom.py", "rows"), (shrank.File, shrank.Function));
    }
}
