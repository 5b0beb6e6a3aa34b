package io.memdoctor.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.ui.Model;
import org.springframework.web.ErrorResponseException;

/**
 * A refused form comes back with the message (model attribute {@code error}) and what was typed. Bad input is 400,
 * an {@link ErrorResponseException} keeps its own status (409 for a name taken or a scan running); a 404 is not
 * the form's business and goes on to the error page.
 */
public final class FormErrors {

    private FormErrors() {
    }

    /** Puts the message of {@code ex} on the model and answers the status the refusal deserves. */
    public static HttpStatusCode reject(RuntimeException ex, Model model) {
        if (ex instanceof ErrorResponseException error) {
            if (error.getStatusCode().value() == HttpStatus.NOT_FOUND.value()) {
                throw error;
            }
            model.addAttribute("error", error.getBody().getDetail());
            return error.getStatusCode();
        }
        if (ex instanceof IllegalArgumentException) {
            model.addAttribute("error", ex.getMessage());
            return HttpStatus.BAD_REQUEST;
        }
        throw ex;
    }
}
