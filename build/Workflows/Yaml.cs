using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Filare.Perf.Workflows;

/// <summary>
/// A few helpers over YamlDotNet's node model so a workflow reads top-down in C# like it will in
/// YAML: keys keep their order, null values are left out, multi-line scripts become literal blocks.
/// </summary>
public static class Yaml
{
    public static YamlMappingNode Map(params (string Key, object? Value)[] entries)
    {
        var map = new YamlMappingNode();
        foreach (var (key, value) in entries)
        {
            if (value is not null)
            {
                map.Add(new YamlScalarNode(key), Node(value));
            }
        }
        return map;
    }

    public static YamlSequenceNode Seq(params object[] items) => new(items.Select(Node));

    /// <summary>A flow-style list: [labeled, synchronize].</summary>
    public static YamlSequenceNode Flow(params string[] items) =>
        new(items.Select(i => (YamlNode)new YamlScalarNode(i))) { Style = YamlDotNet.Core.Events.SequenceStyle.Flow };

    public static YamlNode Node(object value) => value switch
    {
        YamlNode node => node,
        bool b => new YamlScalarNode(b ? "true" : "false"),
        int i => new YamlScalarNode(i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        string s when s.Contains('\n', StringComparison.Ordinal) => new YamlScalarNode(s.TrimEnd('\n') + "\n") { Style = ScalarStyle.Literal },
        string s => new YamlScalarNode(s),
        IEnumerable<string> list => Flow(list.ToArray()),
        _ => throw new ArgumentException($"No YAML form for {value.GetType().Name}"),
    };

    /// <summary>Quoted, for values YAML would otherwise read as something else (cron lines, 'on').</summary>
    public static YamlScalarNode Quoted(string value) => new(value) { Style = ScalarStyle.SingleQuoted };

    public static string Write(string header, YamlMappingNode root)
    {
        var stream = new YamlStream(new YamlDocument(root));
        using var writer = new StringWriter();
        stream.Save(writer, assignAnchors: false);
        var text = writer.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
        // YamlDotNet ends a document with "...": GitHub accepts it, readers do not expect it.
        text = text.TrimEnd().TrimEnd('.').TrimEnd() + "\n";
        return header + text;
    }
}
