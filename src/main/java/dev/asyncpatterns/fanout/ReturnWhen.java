package dev.asyncpatterns.fanout;

import org.jspecify.annotations.Nullable;

import dev.asyncpatterns.web.BadRequestException;

/** When {@code wait} returns, as asyncio's {@code return_when}. */
enum ReturnWhen {
    /** As soon as any call finishes, successfully or not. */
    FIRST_COMPLETED,
    /** As soon as any call fails, or when all have finished. */
    FIRST_EXCEPTION,
    /** When every call has finished. */
    ALL_COMPLETED;

    static ReturnWhen parse(@Nullable String value) {
        if (value == null) {
            return ALL_COMPLETED;
        }
        try {
            return valueOf(value);
        }
        catch (IllegalArgumentException ex) {
            throw new BadRequestException("returnWhen", "must be one of FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED");
        }
    }
}
