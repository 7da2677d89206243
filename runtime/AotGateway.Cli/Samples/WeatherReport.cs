using System;
using System.Collections.Generic;
using System.ComponentModel;

namespace AotGateway.Cli.Samples;

/// <summary>A weather report for one city.</summary>
[GatewayJson(Naming = GatewayJsonNaming.SnakeCase, SchemaName = "weather_report")]
internal sealed partial record WeatherReport(
    [property: Description("The city the report is for.")] string City,
    [property: Description("The temperature now, in degrees Celsius.")] double TemperatureC,
    Conditions Conditions,
    [property: Description("The next days, earliest first.")] IReadOnlyList<DayForecast> Forecast);

/// <summary>One day of a forecast.</summary>
[GatewayJson(Naming = GatewayJsonNaming.SnakeCase)]
internal sealed partial record DayForecast(DateOnly Date, double HighC, double LowC, Conditions Conditions);

/// <summary>The sky, broadly.</summary>
internal enum Conditions
{
    Sunny,
    Cloudy,
    Rain,
    Snow,
    Storm,
}
