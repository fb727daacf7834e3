package dev.asyncpatterns.tcp;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code POST /api/tcp/echo}.
 *
 * @param host where to connect; must be in the outbound allowlist
 * @param port the TCP port
 * @param message one line to send (no line breaks); the service appends the newline
 */
record EchoRequest(
        @Schema(example = "localhost") @NotBlank @Size(max = 253) String host,
        @Schema(example = "9090") @NotNull @Min(1) @Max(65535) Integer port,
        @Schema(example = "hello") @NotNull @Size(max = 1_048_576) String message) {
}
