package dev.asyncpatterns.callbacks;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import dev.asyncpatterns.outbound.UrlAllowlist;

/**
 * The {@code callback} of {@code POST /api/jobs}: where to POST the job JSON when the job ends.
 *
 * @param url an http(s) URL whose host the outbound allowlist accepts
 */
public record CallbackRequest(
        @Schema(description = "Receives a signed POST of the job JSON when the job reaches its final state; "
                + "its host must be in asyncpatterns.outbound.allowed-hosts", example = "http://localhost:9000/hooks/jobs")
        @NotBlank @Size(max = UrlAllowlist.MAX_URL_LENGTH) String url) {
}
