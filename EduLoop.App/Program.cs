using EduLoop.App.Hosting;

if (args is ["seed", ..])
{
    return await SeedCommand.RunAsync(args[1..]);
}

if (args is ["import", ..])
{
    return await ImportCommand.RunAsync(args[1..]);
}

if (args is ["export", ..])
{
    return await ExportCommand.RunAsync(args[1..]);
}

if (args is ["migrate-from-django", ..])
{
    return await MigrateFromDjangoCommand.RunAsync(args[1..]);
}

if (args is ["migrate", ..])
{
    return await MigrateCommand.RunAsync(args[1..]);
}

if (args is ["live-load", ..])
{
    return await LiveLoadCommand.RunAsync(args[1..]);
}

if (args is ["quiz-load", ..])
{
    return await QuizLoadCommand.RunAsync(args[1..]);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddEduLoopApp();

var app = builder.Build();
await app.InitializeEduLoopAsync();
app.UseEduLoop();
app.Run();
return 0;

public partial class Program;
