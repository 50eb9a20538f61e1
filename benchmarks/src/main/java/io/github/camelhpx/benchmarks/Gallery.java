package io.github.camelhpx.benchmarks;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A gallery of a {@code get_items} reply as an application would bind it: every member the server sends, so
 * that binding one costs what it would cost a real caller (nothing skipped, nothing left as a tree).
 *
 * @param lastRead {@code null} for a gallery never read
 * @param tags     the tag names by namespace ({@code ""}: no namespace)
 */
public record Gallery(
        int id,
        List<Title> titles,
        List<Named> artists,
        List<Named> circles,
        List<Named> parodies,
        Named category,
        Named language,
        Named status,
        @JsonProperty("grouping_id") int groupingId,
        int number,
        String info,
        @JsonProperty("pub_date") long pubDate,
        long timestamp,
        @JsonProperty("last_read") Long lastRead,
        @JsonProperty("last_updated") long lastUpdated,
        @JsonProperty("times_read") int timesRead,
        int rating,
        @JsonProperty("page_count") int pageCount,
        List<Named> urls,
        Map<String, List<String>> tags,
        Metatags metatags) {

    /** An item referred to by id and name: artist, circle, parody, category, language, status, URL. */
    public record Named(int id, String name) {
    }

    public record Title(int id, String name, Named language) {
    }

    public record Metatags(boolean favorite, boolean inbox, boolean readlater, boolean trash) {
    }
}
