using System.Text.RegularExpressions;

namespace Filare.Perf.Tests.Support;

/// <summary>
/// The layers of build/, read from the one place they are written: the table under "## Layers" in
/// docs/architecture.md. Row N lists the folders of layer N; a folder may use only folders of lower layers.
/// </summary>
public sealed partial class LayerOrder
{
    private LayerOrder(IReadOnlyDictionary<string, int> layers) => Layers = layers;

    /// <summary>Folder → its layer number.</summary>
    public IReadOnlyDictionary<string, int> Layers { get; }

    public static LayerOrder Read(string markdown)
    {
        var section = markdown.Split("\n## ").FirstOrDefault(s => s.StartsWith("Layers", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("docs/architecture.md has no '## Layers' section");
        var layers = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (Match row in Row().Matches(section))
        {
            var layer = int.Parse(row.Groups["layer"].Value, System.Globalization.CultureInfo.InvariantCulture);
            foreach (Match folder in Folder().Matches(row.Groups["folders"].Value))
            {
                if (!layers.TryAdd(folder.Groups["name"].Value, layer))
                {
                    throw new InvalidOperationException($"docs/architecture.md lists {folder.Groups["name"].Value}/ in two layers");
                }
            }
        }
        return new LayerOrder(layers);
    }

    /// <summary>Each use of a folder that is not in a lower layer, as "from (layer) -> to (layer): files".</summary>
    public IReadOnlyList<string> Violations(FolderGraph graph) =>
    [
        .. graph.Edges.SelectMany(e => e.Value.Select(to => (From: e.Key, To: to.Key, Files: to.Value)))
            .Where(e => Layers.TryGetValue(e.From, out var from) && Layers.TryGetValue(e.To, out var to) && to >= from)
            .OrderBy(e => e.From, StringComparer.Ordinal).ThenBy(e => e.To, StringComparer.Ordinal)
            .Select(e => $"{e.From}/ (layer {Layers[e.From]}) uses {e.To}/ (layer {Layers[e.To]}): {string.Join(", ", e.Files)}"),
    ];

    [GeneratedRegex(@"^\|\s*(?<layer>\d+)\s*\|[^|\n]*\|(?<folders>[^|\n]*)\|", RegexOptions.Multiline)]
    private static partial Regex Row();

    [GeneratedRegex(@"`(?<name>[A-Za-z]+)/`")]
    private static partial Regex Folder();
}
