using EduLoop.Domain.Caching;

namespace EduLoop.Domain.Querying;

/// <summary>
/// Counts and other figures of the question bank (filtered list counts, per-node counts), kept until
/// a write changes the bank or its taxonomy. Counting a million rows costs tens of milliseconds;
/// paging through one list asks for the same count on every page, and a student's practice step or
/// answer leaves the figures as they are.
/// </summary>
public sealed class CountCache(TaggedCache cache)
{
    private static readonly string[] Tags = [DataTags.Bank, DataTags.Taxonomy];

    /// <summary>Any value computed from the bank (per-node counts, for one).</summary>
    public async Task<T> GetOrLoadAsync<T>(string key, Func<Task<T>> load) where T : class =>
        await cache.GetOrLoadAsync("figures|" + key, Tags, async _ => await load());

    public async Task<int> GetOrCountAsync(string key, Func<Task<int>> count) =>
        await cache.GetOrLoadAsync("count|" + key, Tags, async _ => await count());
}
