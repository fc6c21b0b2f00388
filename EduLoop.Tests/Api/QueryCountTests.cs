using System.Collections.Concurrent;
using EduLoop.Domain.Identity;
using EduLoop.Domain.Quizzes;
using EduLoop.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace EduLoop.Tests.Api;

/// <summary>The app with EF Core's command log captured, to count the SQL a request runs.</summary>
public sealed class SqlLoggingAppFactory : EduLoopAppFactory
{
    public ConcurrentQueue<string> Commands { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(logging =>
        {
            logging.AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.Information);
            logging.AddProvider(new CommandLogProvider(Commands));
        });
    }

    private sealed class CommandLogProvider(ConcurrentQueue<string> commands) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) =>
            categoryName == "Microsoft.EntityFrameworkCore.Database.Command" ? new CommandLogger(commands) : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

        public void Dispose()
        {
        }
    }

    private sealed class CommandLogger(ConcurrentQueue<string> commands) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Name == "Microsoft.EntityFrameworkCore.Database.Command.CommandExecuted")
            {
                commands.Enqueue(formatter(state, exception));
            }
        }
    }
}

/// <summary>No query per row: a page costs the same few queries whether it holds 5 rows or 100.</summary>
public sealed class QueryCountTests(SqlLoggingAppFactory app) : IClassFixture<SqlLoggingAppFactory>
{
    [Theory]
    [InlineData("/api/categories/", 3)]
    [InlineData("/api/subcategories/", 2)]
    [InlineData("/api/subjects/", 2)]
    [InlineData("/api/dashboard/recent-questions/", 2)]
    public async Task ListPage_RunsAFixedNumberOfQueries_WhateverItsSize(string path, int expected)
    {
        var client = app.CreateClientAs(Roles.Teacher);
        await client.GetAsync($"{path}?page_size=1&warm=1");

        var (small, smallSql) = await CountAsync(client, $"{path}?page_size=5&n={Guid.NewGuid():N}");
        var (large, largeSql) = await CountAsync(client, $"{path}?page_size=100&n={Guid.NewGuid():N}");

        Assert.True(small > 0, "the command log is captured");
        Assert.True(small == large, $"5 rows ran {small} queries, 100 rows ran {large}:\n{smallSql}\n----\n{largeSql}");
        Assert.True(large <= expected, $"{path} ran {large} queries");
    }

    private async Task<(int Count, string Sql)> CountAsync(HttpClient client, string url)
    {
        // Authentication of the test caller runs its own queries; count only what the list runs.
        await client.GetAsync("/api/groups/?page=1&settle=" + Guid.NewGuid().ToString("N"));
        app.Commands.Clear();
        var response = await client.GetAsync(url);
        response.EnsureSuccessStatusCode();
        // The overdue-attempts round runs on its own timer and may land inside the request; it is tagged, and left out.
        var queries = app.Commands.Where(c =>
            c.Contains("SELECT", StringComparison.Ordinal) && !c.Contains("AspNet", StringComparison.Ordinal)
            && !c.Contains("-- " + AttemptService.OverdueTag, StringComparison.Ordinal)).ToList();
        return (queries.Count, string.Join("\n", queries));
    }
}
