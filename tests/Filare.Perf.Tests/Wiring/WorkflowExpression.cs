using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Filare.Perf.Tests.Wiring;

/// <summary>
/// GitHub Actions' expression language, the part the generated workflows use: literals, context
/// paths (<c>a.b</c>, <c>a.*.b</c>, <c>a['b']</c>), <c>! == != &amp;&amp; ||</c>, parentheses, and the
/// functions contains, startsWith, endsWith, fromJSON, toJSON, format, always, success, cancelled, failure.
/// Values are JSON nodes; as on GitHub, <c>||</c> and <c>&amp;&amp;</c> yield an operand, strings compare
/// without regard to case, and a missing property is null. Status functions answer for a run in which
/// nothing failed or was cancelled. Anything else is an error naming the expression, so a workflow
/// using more of the language makes the rehearsal fail instead of guessing.
/// </summary>
public sealed class WorkflowExpression
{
    private readonly string _text;
    private readonly IReadOnlyDictionary<string, JsonNode?> _contexts;
    private int _at;

    private WorkflowExpression(string text, IReadOnlyDictionary<string, JsonNode?> contexts)
    {
        _text = text;
        _contexts = contexts;
    }

    /// <summary>Evaluates a bare expression (an <c>if:</c>, or the inside of <c>${{ }}</c>).</summary>
    public static JsonNode? Evaluate(string expression, IReadOnlyDictionary<string, JsonNode?> contexts)
    {
        var parser = new WorkflowExpression(expression, contexts);
        var value = parser.Or();
        parser.Space();
        if (parser._at != expression.Length)
        {
            throw new FormatException($"unexpected '{expression[parser._at..]}' in expression '{expression}'");
        }
        return value;
    }

    /// <summary>An <c>if:</c>: a bare expression or one wrapped in <c>${{ }}</c>.</summary>
    public static bool Condition(string expression, IReadOnlyDictionary<string, JsonNode?> contexts)
    {
        var text = expression.Trim();
        if (text.StartsWith("${{", StringComparison.Ordinal) && text.EndsWith("}}", StringComparison.Ordinal))
        {
            text = text[3..^2];
        }
        return Truthy(Evaluate(text, contexts));
    }

    /// <summary>A string with <c>${{ }}</c> parts replaced by their values as GitHub renders them.</summary>
    public static string Expand(string text, IReadOnlyDictionary<string, JsonNode?> contexts)
    {
        var result = new StringBuilder();
        var at = 0;
        while (text.IndexOf("${{", at, StringComparison.Ordinal) is var start and >= 0)
        {
            var end = text.IndexOf("}}", start, StringComparison.Ordinal);
            if (end < 0)
            {
                throw new FormatException($"unclosed ${{{{ in '{text}'");
            }
            result.Append(text, at, start - at).Append(Render(Evaluate(text[(start + 3)..end], contexts)));
            at = end + 2;
        }
        return result.Append(text, at, text.Length - at).ToString();
    }

    public static string Render(JsonNode? value) => value switch
    {
        null => "",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
        JsonValue v => v.ToJsonString(),
        _ => value.ToJsonString(new JsonSerializerOptions { WriteIndented = true }),
    };

    public static bool Truthy(JsonNode? value) => value switch
    {
        null => false,
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<string>(out var s) => s.Length > 0,
        JsonValue v when v.TryGetValue<double>(out var d) => d != 0,
        _ => true,
    };

    private JsonNode? Or()
    {
        var left = And();
        while (Take("||"))
        {
            var right = And();
            left = Truthy(left) ? left : right;
        }
        return left;
    }

    private JsonNode? And()
    {
        var left = Comparison();
        while (Take("&&"))
        {
            var right = Comparison();
            left = Truthy(left) ? right : left;
        }
        return left;
    }

    private JsonNode? Comparison()
    {
        var left = Unary();
        while (true)
        {
            if (Take("=="))
            {
                left = Equal(left, Unary());
            }
            else if (Take("!="))
            {
                left = !Equal(left, Unary());
            }
            else
            {
                return left;
            }
        }
    }

    private JsonNode? Unary() => Take("!") ? !Truthy(Unary()) : Postfix(Primary());

    private JsonNode? Primary()
    {
        Space();
        if (Take("("))
        {
            var inner = Or();
            Expect(")");
            return inner;
        }
        if (Peek() == '\'')
        {
            return StringLiteral();
        }
        if (Peek() is var c && (char.IsDigit(c) || c == '-'))
        {
            var start = _at++;
            while (_at < _text.Length && (char.IsDigit(_text[_at]) || _text[_at] == '.'))
            {
                _at++;
            }
            return double.Parse(_text[start.._at], CultureInfo.InvariantCulture);
        }
        var name = Identifier();
        Space();
        if (Peek() == '(')
        {
            _at++;
            var arguments = new List<JsonNode?>();
            if (!Take(")"))
            {
                do
                {
                    arguments.Add(Or());
                }
                while (Take(","));
                Expect(")");
            }
            return Call(name, arguments);
        }
        return name switch
        {
            "true" => true,
            "false" => false,
            "null" => null,
            _ when _contexts.TryGetValue(name, out var context) => context?.DeepClone(),
            _ => throw new FormatException($"unknown context '{name}' in expression '{_text}'"),
        };
    }

    private JsonNode? Postfix(JsonNode? value)
    {
        while (true)
        {
            if (Take(".*"))
            {
                value = Star(value);
                Expect(".");
                var field = Identifier();
                value = new JsonArray([.. ((JsonArray)value!).Select(item => Property(item, field))]);
            }
            else if (Peek() == '.' )
            {
                _at++;
                value = Property(value, Identifier());
            }
            else if (Take("["))
            {
                var key = Or();
                Expect("]");
                value = key is JsonValue k && k.TryGetValue<double>(out var index)
                    ? value is JsonArray array && index < array.Count ? array[(int)index]?.DeepClone() : null
                    : Property(value, Render(key));
            }
            else
            {
                return value;
            }
        }
    }

    private static JsonArray Star(JsonNode? value) => value switch
    {
        JsonArray array => array,
        JsonObject obj => new JsonArray([.. obj.Select(p => p.Value?.DeepClone())]),
        _ => [],
    };

    private static JsonNode? Property(JsonNode? value, string name) =>
        value is JsonObject obj && obj.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)) is { Key: not null } found
            ? found.Value?.DeepClone()
            : null;

    private JsonNode? Call(string name, IReadOnlyList<JsonNode?> a) => name.ToLowerInvariant() switch
    {
        "contains" when a.Count == 2 => a[0] is JsonArray array
            ? array.Any(item => Equal(item, a[1]))
            : Render(a[0]).Contains(Render(a[1]), StringComparison.OrdinalIgnoreCase),
        "startswith" when a.Count == 2 => Render(a[0]).StartsWith(Render(a[1]), StringComparison.OrdinalIgnoreCase),
        "endswith" when a.Count == 2 => Render(a[0]).EndsWith(Render(a[1]), StringComparison.OrdinalIgnoreCase),
        "fromjson" when a.Count == 1 => JsonNode.Parse(Render(a[0])),
        "tojson" when a.Count == 1 => Render(a[0] ?? JsonValue.Create("null")),
        "format" when a.Count >= 1 => string.Format(CultureInfo.InvariantCulture, Render(a[0]), [.. a.Skip(1).Select(Render)]),
        "always" or "success" or "cancelled" or "failure" when a.Count == 0 => name is "always" or "success",
        _ => throw new FormatException($"function {name}/{a.Count} is not rehearsed (expression '{_text}')"),
    };

    private static bool Equal(JsonNode? left, JsonNode? right)
    {
        if (left is JsonValue l && right is JsonValue r && l.TryGetValue<double>(out var x) && r.TryGetValue<double>(out var y))
        {
            return x == y;
        }
        return left is null || right is null ? left is null && right is null : string.Equals(Render(left), Render(right), StringComparison.OrdinalIgnoreCase);
    }

    private JsonNode StringLiteral()
    {
        var value = new StringBuilder();
        _at++;
        while (true)
        {
            if (_at >= _text.Length)
            {
                throw new FormatException($"unclosed string in expression '{_text}'");
            }
            if (_text[_at] == '\'')
            {
                if (_at + 1 < _text.Length && _text[_at + 1] == '\'')
                {
                    value.Append('\'');
                    _at += 2;
                    continue;
                }
                _at++;
                return value.ToString();
            }
            value.Append(_text[_at++]);
        }
    }

    private string Identifier()
    {
        Space();
        var start = _at;
        while (_at < _text.Length && (char.IsLetterOrDigit(_text[_at]) || _text[_at] is '_' or '-'))
        {
            _at++;
        }
        return start == _at ? throw new FormatException($"expected a name at {start} in expression '{_text}'") : _text[start.._at];
    }

    private char Peek()
    {
        Space();
        return _at < _text.Length ? _text[_at] : '\0';
    }

    private void Space()
    {
        while (_at < _text.Length && char.IsWhiteSpace(_text[_at]))
        {
            _at++;
        }
    }

    private bool Take(string token)
    {
        Space();
        if (string.CompareOrdinal(_text, _at, token, 0, token.Length) != 0)
        {
            return false;
        }
        // "!" is not the start of "!=".
        if (token == "!" && _at + 1 < _text.Length && _text[_at + 1] == '=')
        {
            return false;
        }
        _at += token.Length;
        return true;
    }

    private void Expect(string token)
    {
        if (!Take(token))
        {
            throw new FormatException($"expected '{token}' at {_at} in expression '{_text}'");
        }
    }
}
