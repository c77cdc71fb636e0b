namespace Filare.Perf.Tests.Wiring;

/// <summary>A GITHUB_OUTPUT file read as the runner reads it: name=value lines and name&lt;&lt;DELIMITER blocks.</summary>
public static class GitHubOutputFile
{
    public static Dictionary<string, string> Parse(string text)
    {
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length == 0)
            {
                continue;
            }
            var heredoc = line.IndexOf("<<", StringComparison.Ordinal);
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (heredoc > 0 && (equals < 0 || heredoc < equals))
            {
                var delimiter = line[(heredoc + 2)..];
                var value = new List<string>();
                for (i++; i < lines.Length && lines[i] != delimiter; i++)
                {
                    value.Add(lines[i]);
                }
                if (i >= lines.Length)
                {
                    throw new FormatException($"output {line[..heredoc]}: no closing {delimiter}");
                }
                outputs[line[..heredoc]] = string.Join('\n', value);
            }
            else
            {
                outputs[equals > 0 ? line[..equals] : throw new FormatException($"not an output line: '{line}'")] = line[(equals + 1)..];
            }
        }
        return outputs;
    }
}
