package io.github.camelhpx.benchmarks;

/** How many galleries make a {@code get_items} reply of a given size. */
public final class BigReplies {

    /** Enough galleries for the largest reply measured (50 MB at about 900 bytes a gallery), with room to spare. */
    public static final int MAX_GALLERIES = 70_000;
    /** The clients' limit: well above the largest reply, so it never trips. */
    public static final long MAX_MESSAGE_SIZE = 256L * 1024 * 1024;

    private static final int SAMPLE = 2_000;

    private BigReplies() {
    }

    /**
     * The {@code get_items} limit whose reply JSON is closest to {@code megabytes} × 10⁶ bytes, from the size of
     * a sample reply (galleries are generated from their id, so their sizes are stable).
     */
    public static int galleriesFor(int megabytes, BareSocketHpx bare) {
        int sampleBytes = bare.call(bare.message(Calls.getItems(SAMPLE)));
        double perGallery = (double) sampleBytes / SAMPLE;
        return (int) Math.min(MAX_GALLERIES, Math.round(megabytes * 1_000_000.0 / perGallery));
    }
}
