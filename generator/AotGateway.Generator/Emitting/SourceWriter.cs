using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace AotGateway.Generator.Emitting;

/// <summary>
/// Writes indented C# source. Interpolated lines go straight into the text (<see cref="LineHandler"/>) and the text's
/// buffer is kept for the next file on the thread: emitting runs per type, and a string per line plus a buffer grown
/// per file were most of what a first run allocated.
/// </summary>
internal sealed class SourceWriter
{
    [System.ThreadStatic]
    private static StringBuilder? t_spare;

    private StringBuilder _text;
    private int _indent;
    private int _lineStart;

    public SourceWriter()
    {
        _text = t_spare ?? new StringBuilder(16 * 1024);
        t_spare = null;
    }

    public void Line(string line = "")
    {
        if (line.Length > 0)
            _text.Append(' ', _indent * 4);
        _text.Append(line).Append('\n');
    }

    /// <summary>An interpolated line, written as it is formatted.</summary>
    public void Line([InterpolatedStringHandlerArgument("")] ref LineHandler line) => EndLine();

    public void Open(string line)
    {
        if (line.Length > 0)
            Line(line);
        Line("{");
        _indent++;
    }

    public void Open([InterpolatedStringHandlerArgument("")] ref LineHandler line)
    {
        EndLine();
        Line("{");
        _indent++;
    }

    public void Close(string suffix = "")
    {
        _indent--;
        _text.Append(' ', _indent * 4).Append('}').Append(suffix).Append('\n');
    }

    /// <summary>The source written; the writer's buffer goes back to the thread for the next file.</summary>
    public override string ToString()
    {
        string source = _text.ToString();
        _text.Clear();
        t_spare = _text;
        _text = null!;
        return source;
    }

    private void BeginLine()
    {
        _lineStart = _text.Length;
        _text.Append(' ', _indent * 4);
    }

    /// <summary>Ends an interpolated line; one that came out empty gets no indentation, as <see cref="Line(string)"/> does.</summary>
    private void EndLine()
    {
        if (_text.Length == _lineStart + _indent * 4)
            _text.Length = _lineStart;
        _text.Append('\n');
    }

    [InterpolatedStringHandler]
    internal readonly ref struct LineHandler
    {
        private readonly StringBuilder _text;

        public LineHandler(int literalLength, int formattedCount, SourceWriter writer)
        {
            _ = literalLength;
            _ = formattedCount;
            writer.BeginLine();
            _text = writer._text;
        }

        public void AppendLiteral(string value) => _text.Append(value);

        public void AppendFormatted(string? value) => _text.Append(value);

        public void AppendFormatted(int value) => _text.Append(value.ToString(CultureInfo.InvariantCulture));

        public void AppendFormatted<T>(T value) =>
            _text.Append(value is System.IFormattable formattable ? formattable.ToString(null, CultureInfo.InvariantCulture) : value?.ToString());
    }
}
