package dev.asyncpatterns.tcp;

import java.net.URI;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

import dev.asyncpatterns.web.Problems;

/** The echo call reached no usable answer: 502 (unreachable, closed, bad reply) or 504 (timeout). */
class TcpEchoFailedException extends ErrorResponseException {

    TcpEchoFailedException(HttpStatus status, URI type, String title, String detail) {
        super(status, Problems.of(status, type, title, detail), null);
    }

}
