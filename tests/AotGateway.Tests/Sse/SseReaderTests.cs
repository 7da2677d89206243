using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Pipelines;
using System.Text;
using System.Threading.Tasks;
using AotGateway.Tests.Support;
using Xunit;
using static AotGateway.Tests.Support.SseTestStreams;

namespace AotGateway.Tests.Sse;

/// <summary>The WHATWG event-stream parsing rules, one test each, in the spec's order.</summary>
[Trait("Category", "Core")]
public class SseReaderTests
{
    private static async Task<List<string>> DataOf(string stream)
    {
        var data = new List<string>();
        foreach (Event e in await ReadAsync(stream))
            data.Add(e.Data);
        return data;
    }

    [Fact]
    public async Task A_leading_UTF8_BOM_is_skipped()
    {
        Assert.Equal(["x"], await DataOf("\uFEFFdata: x\n\n"));
    }

    [Fact]
    public async Task A_BOM_split_across_reads_is_still_skipped()
    {
        List<Event> events = await ReadByReadsAsync([[0xEF], [0xBB], [0xBF, (byte)'d'], Encoding.UTF8.GetBytes("ata: x\n\n")]);
        Assert.Equal("x", Assert.Single(events).Data);
    }

    [Fact]
    public async Task Only_the_first_BOM_is_skipped()
    {
        // The second BOM is part of the field name, which makes the line an unknown field.
        Assert.Equal(["x"], await DataOf("\uFEFFdata: x\n\n\uFEFFdata: y\n\n"));
    }

    [Theory]
    [InlineData("data: a\n\ndata: b\n\n")]
    [InlineData("data: a\r\rdata: b\r\r")]
    [InlineData("data: a\r\n\r\ndata: b\r\n\r\n")]
    [InlineData("data: a\r\n\ndata: b\n\r\n")]
    [InlineData("data: a\r\rdata: b\n\n")]
    public async Task Lines_end_with_LF_CR_or_CRLF_even_mixed(string stream)
    {
        Assert.Equal(["a", "b"], await DataOf(stream));
    }

    [Fact]
    public async Task A_CR_ending_one_read_and_its_LF_starting_the_next_are_one_line_end()
    {
        List<Event> events = await ReadByReadsAsync([Encoding.UTF8.GetBytes("data: a\r"), Encoding.UTF8.GetBytes("\ndata: b\r"), Encoding.UTF8.GetBytes("\n\r"), Encoding.UTF8.GetBytes("\n")]);
        Assert.Equal("a\nb", Assert.Single(events).Data);
    }

    [Fact]
    public async Task Comment_lines_are_ignored()
    {
        Assert.Equal(["x"], await DataOf(": keep-alive\n\n:\ndata: x\n: between\n\n"));
    }

    [Theory]
    [InlineData("data:x\n\n", "x")]
    [InlineData("data: x\n\n", "x")]
    [InlineData("data:  x\n\n", " x")]
    [InlineData("data\n\n", "")]
    [InlineData("data: a:b\n\n", "a:b")]
    public async Task Field_values_follow_the_first_colon_minus_one_space(string stream, string data)
    {
        Assert.Equal([data], await DataOf(stream));
    }

    [Fact]
    public async Task Data_lines_are_joined_with_LF()
    {
        Assert.Equal(["a\nb\n\nc"], await DataOf("data: a\ndata: b\ndata\ndata: c\n\n"));
    }

    [Fact]
    public async Task The_event_field_sets_the_type_for_one_event()
    {
        List<Event> events = await ReadAsync("event: add\ndata: 1\n\ndata: 2\n\n");
        Assert.Equal("add", events[0].Type);
        Assert.Null(events[1].Type);
    }

    [Fact]
    public async Task The_id_field_sets_the_last_event_id_which_persists()
    {
        List<Event> events = await ReadAsync("id: 1\ndata: a\n\ndata: b\n\nid\ndata: c\n\n");
        Assert.Equal(("1", "1"), (events[0].Id, events[0].LastEventId));
        Assert.Equal((null, "1"), (events[1].Id, events[1].LastEventId));
        Assert.Equal(("", ""), (events[2].Id, events[2].LastEventId));
    }

    [Fact]
    public async Task An_id_containing_NUL_is_ignored()
    {
        List<Event> events = await ReadAsync("id: 1\ndata: a\n\nid: 2\0x\ndata: b\n\n");
        Assert.Null(events[1].Id);
        Assert.Equal("1", events[1].LastEventId);
    }

    [Theory]
    [InlineData("retry: 1500\ndata: x\n\n", 1500L)]
    [InlineData("retry: 15a0\ndata: x\n\n", null)]
    [InlineData("retry: -1\ndata: x\n\n", null)]
    [InlineData("retry:\ndata: x\n\n", null)]
    [InlineData("retry: 1.5\ndata: x\n\n", null)]
    public async Task Retry_is_honoured_only_when_it_is_all_digits(string stream, long? retry)
    {
        Assert.Equal(retry, Assert.Single(await ReadAsync(stream)).Retry);
    }

    [Fact]
    public async Task Unknown_fields_are_ignored()
    {
        Assert.Equal(["x"], await DataOf("foo: bar\nDATA: no\ndata: x\nbaz\n\n"));
    }

    [Fact]
    public async Task An_event_with_no_data_is_not_dispatched_and_its_type_is_reset()
    {
        List<Event> events = await ReadAsync("event: ping\n\ndata: x\n\n");
        Event only = Assert.Single(events);
        Assert.Null(only.Type);
        Assert.Equal("x", only.Data);
    }

    [Theory]
    [InlineData("data: done\n\ndata: unfinished\n")]
    [InlineData("data: done\n\ndata: unfinished")]
    [InlineData("data: done\n\nevent: x\ndata: unfinished\r")]
    public async Task An_unfinished_event_at_the_end_is_discarded(string stream)
    {
        Assert.Equal(["done"], await DataOf(stream));
    }

    [Fact]
    public async Task An_empty_stream_has_no_events()
    {
        Assert.Empty(await ReadByReadsAsync([]));
    }

    [Fact]
    public async Task An_event_larger_than_the_limit_is_a_format_error()
    {
        byte[] big = Encoding.UTF8.GetBytes("data: " + new string('x', 5000) + "\n\n");
        var error = await Assert.ThrowsAsync<SseFormatException>(() => ReadByReadsAsync([big], maxEventBytes: 4096));
        Assert.Contains("4096", error.Message);
    }

    [Fact]
    public async Task Many_data_lines_adding_up_past_the_limit_are_a_format_error()
    {
        var text = new StringBuilder();
        for (int i = 0; i < 100; i++)
            text.Append("data: ").Append(new string('y', 100)).Append('\n');
        text.Append('\n');
        await Assert.ThrowsAsync<SseFormatException>(() => ReadByReadsAsync([Encoding.UTF8.GetBytes(text.ToString())], maxEventBytes: 4096));
    }

    [Fact]
    public async Task An_endless_line_fails_at_the_limit_without_reading_everything()
    {
        var endless = new EndlessStream((byte)'a');
        PipeReader pipe = PipeReader.Create(endless, new StreamPipeReaderOptions(bufferSize: 4096));
        await Assert.ThrowsAsync<SseFormatException>(() => ReadAsync(pipe, 64 * 1024));
        Assert.True(endless.BytesRead < 200 * 1024, $"read {endless.BytesRead} bytes");
    }

    [Fact]
    public async Task Data_is_read_across_segment_boundaries()
    {
        byte[] bytes = Encoding.UTF8.GetBytes("data: hello world\n\ndata: x\ndata: y\n\n");
        List<Event> events = await ReadBySegmentsAsync(EveryByte(bytes));
        Assert.Equal(["hello world", "x\ny"], [events[0].Data, events[1].Data]);
    }

    [Fact]
    public async Task A_stream_delivered_a_byte_at_a_time_reads_the_same()
    {
        byte[] bytes = Encoding.UTF8.GetBytes("\uFEFFevent: e\r\nid: 9\r\ndata: a\r\ndata: b\r\n\r\n: c\rdata: z\r\r");
        List<Event> whole = await ReadByReadsAsync([bytes]);
        List<Event> dripped = await ReadByReadsAsync(EveryByte(bytes));
        Assert.Equal(whole, dripped);
        Assert.Equal(2, whole.Count);
    }

    /// <summary>
    /// Events of one data line and a blank line take a one-pass path; split anywhere, across reads or buffer
    /// segments, they must read as the line rules read them, and the event limit must hold on that path too.
    /// </summary>
    [Fact]
    public async Task Data_only_events_read_the_same_wherever_the_bytes_are_split()
    {
        byte[] bytes = Encoding.UTF8.GetBytes("data: a\n\ndata:b\r\n\r\ndata:  c\n\ndata:\n\ndata: d\r\n\ndata: e\n\r\nevent: t\ndata: f\n\ndata: g\r\rdata: h\n\n");
        string[] expected = ["a", "b", " c", "", "d", "e", "f", "g", "h"];
        Assert.Equal(expected, await DataOf(Encoding.UTF8.GetString(bytes)));
        for (int at = 1; at < bytes.Length; at++)
        {
            List<Event> byReads = await ReadByReadsAsync([bytes[..at], bytes[at..]]);
            List<Event> bySegments = await ReadBySegmentsAsync([bytes[..at], bytes[at..]]);
            Assert.Equal(expected, byReads.ConvertAll(e => e.Data));
            Assert.Equal(expected, bySegments.ConvertAll(e => e.Data));
            Assert.Equal("t", byReads[6].Type);
            Assert.Null(byReads[7].Type);
        }
        byte[] atLimit = Encoding.UTF8.GetBytes("data: " + new string('x', 4089) + "\n\n");
        Assert.Single(await ReadByReadsAsync([atLimit], maxEventBytes: 4096));
        byte[] overLimit = Encoding.UTF8.GetBytes("data: " + new string('x', 4090) + "\n\n");
        await Assert.ThrowsAsync<SseFormatException>(() => ReadByReadsAsync([overLimit], maxEventBytes: 4096));
    }

    /// <summary>
    /// Keep-alive comments and blank lines between events are skipped before the one-pass path; split anywhere
    /// (a CRLF cut in two included), with a comment inside an event and one before an event's other fields, the
    /// events must read as the line rules read them.
    /// </summary>
    [Fact]
    public async Task Comments_between_events_read_the_same_wherever_the_bytes_are_split()
    {
        byte[] bytes = Encoding.UTF8.GetBytes(
            ": keep-alive\r\n\r\ndata: a\r\n\r\n:ping\n\n\n: x\rdata: b\n\n: c\r\nevent: t\r\n: in\r\ndata: c\r\n\r\n"
            + ":\r\r\ndata: d\n: between\ndata: e\n\n: last\r\n\r\n");
        string[] expected = ["a", "b", "c", "d\ne"];
        for (int at = 1; at < bytes.Length; at++)
        {
            foreach (List<Event> events in new[] { await ReadByReadsAsync([bytes[..at], bytes[at..]]), await ReadBySegmentsAsync([bytes[..at], bytes[at..]]) })
            {
                Assert.Equal(expected, events.ConvertAll(e => e.Data));
                Assert.Equal([null, null, "t", null], events.ConvertAll(e => e.Type));
            }
        }
        Assert.Equal(expected, (await ReadByReadsAsync(EveryByte(bytes))).ConvertAll(e => e.Data));
    }

    private sealed class EndlessStream(byte fill) : ReadOnlyTestStream
    {
        public long BytesRead { get; private set; }
        public override int Read(byte[] buffer, int offset, int count)
        {
            buffer.AsSpan(offset, count).Fill(fill);
            BytesRead += count;
            return count;
        }
    }
}
