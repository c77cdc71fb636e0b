namespace Filare.Perf.Tests.Support;

/// <summary>
/// Tests whose figures depend on having a core to themselves (CPU% of a busy loop) run alone,
/// after the parallel ones: on a 2-core machine a neighbour test halves their CPU share.
/// </summary>
[CollectionDefinition(nameof(Serial), DisableParallelization = true)]
public sealed class Serial;
