package io.memdoctor.security;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The login form (Spring Security handles its POST). Without configured users there is nothing to log in to. */
@Controller
class LoginController {

    private final SecurityProperties properties;

    LoginController(SecurityProperties properties) {
        this.properties = properties;
    }

    @GetMapping("/login")
    String login() {
        return properties.users().isEmpty() ? "redirect:/" : "security/login";
    }
}
