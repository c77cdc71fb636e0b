namespace Filare.Perf.Checkout;

/// <summary>One way a side starts Python: the interpreter, the console script it runs (null:
/// <c>python -m …</c> or <c>-c</c>), where, with which variables.</summary>
public sealed record Launch(string Interpreter, string? Script, string WorkingDirectory, IReadOnlyDictionary<string, string> Environment);
