// Material for MkDocs 9.8.2, partials/javascripts/base.html (MIT licence), moved from an inline script
// into a file for the Content-Security-Policy. The scope is the site root: two levels above this file.
__md_scope=new URL("../../",document.currentScript.src),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}
// Ours: mark the page as scripted before it is first painted (Material's bundle does so only at the end), so
// that what only works with JavaScript (the finder's search box) takes its place at once instead of shifting
// the page when it appears.
document.documentElement.classList.replace("no-js","js")
