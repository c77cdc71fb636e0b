namespace Filare.Perf.Engine;

/// <summary>
/// The command line split into NUKE's parts: targets first, then <c>--name value...</c> options.
/// Nothing here knows the build's parameters; the resolver checks names against them.
/// </summary>
public sealed record CommandLineArguments(
    IReadOnlyList<string> Targets,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Options,
    IReadOnlyList<string> OptionOrder)
{
    public static readonly string[] EngineOptions = ["help", "plan", "skip", "target", "root", "generate-configuration"];

    public bool Has(string option) => Options.ContainsKey(option);

    public IReadOnlyList<string> Values(string option) => Options.TryGetValue(option, out var values) ? values : [];

    public static CommandLineArguments Parse(IReadOnlyList<string> args)
    {
        var targets = new List<string>();
        var options = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        var order = new List<string>();
        List<string>? current = null;
        foreach (var arg in args)
        {
            if (arg is "-h" or "-?" or "/?")
            {
                current = Open("help");
                continue;
            }
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2)
            {
                var body = arg[2..];
                var equals = body.IndexOf('=', StringComparison.Ordinal);
                current = Open(equals < 0 ? body : body[..equals]);
                if (equals >= 0)
                {
                    current.Add(body[(equals + 1)..]);
                }
                continue;
            }
            if (current is null)
            {
                targets.Add(arg);
            }
            else
            {
                current.Add(arg);
            }
        }
        return new CommandLineArguments(
            targets,
            options.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value, StringComparer.OrdinalIgnoreCase),
            order);

        List<string> Open(string name)
        {
            if (!options.TryGetValue(name, out var list))
            {
                options[name] = list = [];
                order.Add(name);
            }
            return list;
        }
    }
}
