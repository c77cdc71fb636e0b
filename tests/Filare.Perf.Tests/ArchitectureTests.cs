using Filare.Perf.Tests.Support;

namespace Filare.Perf.Tests;

/// <summary>One folder per concept, in layers: a folder uses only folders of lower layers (docs/architecture.md).</summary>
public sealed class ArchitectureTests
{
    [Fact]
    public void Every_build_folder_has_a_layer_and_uses_only_lower_layers()
    {
        var graph = FolderGraph.Read(Path.Combine(Repository.Root, "build"));
        var order = LayerOrder.Read(File.ReadAllText(Path.Combine(Repository.Root, "docs", "architecture.md")));

        var unplaced = graph.Edges.Keys.Where(f => !order.Layers.ContainsKey(f)).Order(StringComparer.Ordinal).ToList();
        var gone = order.Layers.Keys.Where(f => !graph.Edges.ContainsKey(f)).Order(StringComparer.Ordinal).ToList();

        Assert.True(unplaced.Count == 0, $"folders with no layer in docs/architecture.md's Layers table: {string.Join(", ", unplaced)}");
        Assert.True(gone.Count == 0, $"docs/architecture.md's Layers table names folders build/ does not have: {string.Join(", ", gone)}");
        var violations = order.Violations(graph);
        Assert.True(violations.Count == 0, "uses of a folder that is not in a lower layer:\n" + string.Join("\n", violations));
        // The table is read at all: the foundation is below the harness.
        Assert.True(order.Layers["Storage"] < order.Layers["Results"] && order.Layers["Results"] < order.Layers["Harness"]);
    }

    [Fact]
    public void Reporting_only_renders_it_never_reaches_GitHub_files_or_the_Actions_environment()
    {
        var graph = FolderGraph.Read(Path.Combine(Repository.Root, "build"));

        var reached = graph.Edges["Reporting"].Keys.Intersect(["GitHub", "Gate", "Storage", "Actions", "Publishing"]).ToList();

        Assert.True(reached.Count == 0,
            "Reporting/ uses " + string.Join(", ", reached.Select(f => $"{f}/ ({string.Join(", ", graph.Edges["Reporting"][f])})")));
        Assert.Contains("Analysis", graph.Edges["Reporting"].Keys);
    }

    [Fact]
    public void A_use_of_the_same_or_a_higher_layer_is_a_violation_and_a_lower_one_is_not()
    {
        using var root = new TempTree();
        root.Write("Low/Thing.cs", "namespace Filare.Perf.Low;\npublic static class Thing { public static int Make() => Peer.Other.Value; }\n");
        root.Write("Peer/Other.cs", "namespace Filare.Perf.Peer;\npublic static class Other { public const int Value = 1; }\n");
        root.Write("High/Top.cs", "using Filare.Perf.Low;\nnamespace Filare.Perf.High;\npublic static class Top { public static int M() => Thing.Make(); }\n");
        var order = LayerOrder.Read("# A\n\n## Layers\n\n| layer | name | folders |\n|---|---|---|\n| 1 | base | `Low/`, `Peer/` |\n| 2 | top | `High/` |\n");

        var violations = order.Violations(FolderGraph.Read(root.Path));

        Assert.Equal(["Low/ (layer 1) uses Peer/ (layer 1): Low/Thing.cs"], violations);
    }

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
        root.Write("High/Other.cs",
            $"{usings}namespace Filare.Perf.High;\npublic static class Other {{ public const int Value = 1; static void M() {{ {reference} }} }}\n");

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
