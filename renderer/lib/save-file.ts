/**
 * Saves text as a file the way a browser downloads one: in Electron this shows the system's Save
 * dialog (no save path is set for downloads), in browser mode the browser saves it to Downloads.
 * The text is made here or by main; nothing is fetched.
 */
export function saveTextFile(fileName: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own copy once started; a later revoke keeps slow machines safe.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
