from django.shortcuts import render


def permission_denied(request, exception=None):
    message = (
        str(exception)
        if exception and str(exception)
        else ("Your account does not give you access to this page.")
    )
    return render(request, "403.html", {"message": message}, status=403)


def page_not_found(request, exception=None):
    from panels.files import FileMissing

    # A file lost from storage is not a mistyped address: say what happened and what to do.
    message = str(exception) if isinstance(exception, FileMissing) else ""
    return render(request, "404.html", {"message": message}, status=404)


def server_error(request):
    return render(request, "500.html", status=500)
