using Filare.Perf.Tests.Support;

namespace Filare.Perf.Tests;

/// <summary>One folder per concept, and no cycles between folders: a low folder never reaches up.</summary>
public sealed class ArchitectureTests
{
    [Fact]
    public void No_build_folder_depends_on_itself_through_others()
    {
        var graph = FolderGraph.Read(Path.Combine(Repository.Root, "build"));

        var cycle = graph.FindCycle();

        Assert.True(cycle is null, cycle is null ? "" : $"namespace cycle {string.Join(" -> ", cycle)}:\n{graph.Explain(cycle)}");
        // The graph is read at all: the harness's top folders use the lower ones.
        Assert.Contains("Results", graph.Edges["Analysis"].Keys);
        Assert.Contains("Analysis", graph.Edges["Reporting"].Keys);
    }

    [Theory]
    [InlineData("using Filare.Perf.Low;\n", "Low.Thing.Make();")]
    [InlineData("", "var x = Filare.Perf.Low.Thing.Make();")]
    [InlineData("", "var x = Low.Thing.Make();")]
    [InlineData("", "var s = $\"a `{string.Join(\" \", new[] { '}' })}` {Low.Thing.Make() + \"\\n\"}\";")]
    public void A_cycle_through_a_using_or_a_qualified_reference_is_found(string usings, string reference)
    {
        using var root = new TempTree();
        root.Write("Low/Thing.cs", "namespace Filare.Perf.Low;\npublic static class Thing { public static int Make() => High.Other.Value; }\n");
        root.Write("High/Other.cs", $"{usings}namespace Filare.Perf.High;\npublic static class Other {{ public const int Value = 1; static void M() {{ {reference} }} }}\n");

        var cycle = FolderGraph.Read(root.Path).FindCycle();

        Assert.NotNull(cycle);
        Assert.Equal(["High", "Low", "High"], cycle);
    }

    [Fact]
    public void Names_in_comments_strings_and_member_access_are_not_dependencies()
    {
        using var root = new TempTree();
        root.Write("Low/Thing.cs", "namespace Filare.Perf.Low;\npublic static class Thing { public static int Make() => High.Other.Value; }\n");
        root.Write("High/Other.cs", """
            namespace Filare.Perf.High;
            /// <see cref="Low.Thing"/> and Filare.Perf.Low in prose
            public static class Other
            {
                public const int Value = 1;
                static string M(Holder h) => "https://x/" + h.Low.Thing + " Filare.Perf.Low.Thing"; // Low.Thing
            }
            """);

        var graph = FolderGraph.Read(root.Path);

        Assert.Null(graph.FindCycle());
        Assert.Contains("High", graph.Edges["Low"].Keys);
        Assert.Empty(graph.Edges["High"]);
    }

    private sealed class TempTree : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("filare-perf-graph-").FullName;

        public void Write(string relative, string text)
        {
            var file = System.IO.Path.Combine(Path, relative);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
            File.WriteAllText(file, text);
        }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
