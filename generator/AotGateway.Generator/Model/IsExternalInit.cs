// Records and init accessors need this type, which netstandard2.0 does not have.
namespace System.Runtime.CompilerServices
{
    internal static class IsExternalInit
    {
    }
}

// Interpolated string handlers (SourceWriter.LineHandler) need these, which netstandard2.0 does not have either.
namespace System.Runtime.CompilerServices
{
    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = false)]
    internal sealed class InterpolatedStringHandlerAttribute : Attribute
    {
    }

    [AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
    internal sealed class InterpolatedStringHandlerArgumentAttribute(string argument) : Attribute
    {
        public string[] Arguments { get; } = [argument];
    }
}
